import Foundation
import SprocketCore

/// The phase of `up` for a stack with `postgres:` or `s3:`: roles, databases, grants and buckets are brought to
/// the spec before any layer is deployed (they live outside the swarm, and services need them when they start);
/// their gate checks run after the layer each one names.
struct ExternalResourcesPhase {
    var environment: RunEnvironment
    var notices: RunNoticeHandler
    /// The run's lease, held for the whole `up`.
    var lease: any StateLease

    func run(_ stack: StackSpec, deployment: Deployment, engine: EngineHandle, gate: ExternalCheckGate) async throws {
        guard stack.postgres != nil || stack.s3 != nil else { return }
        // Generated passwords must exist before a role is given one; `up` would generate them a moment later anyway.
        let secrets = try deployment.secrets(for: stack, generate: true)
        let providers = try ExternalProviders.make(stack, secrets: secrets, environment: environment.environment, engine: engine, logger: environment.logger)
        gate.set(providers)
        for provider in providers {
            let changes = try await provider.plan()
            guard !changes.isEmpty else { continue }
            try await lease.check(before: "applying \(changes.count) changes to \(provider.system) at \(provider.endpointDescription)")
            let report = try await provider.apply(changes, fence: { operation in try await lease.check(before: operation) })
            notices(.externalApplied(
                system: provider.system, endpoint: provider.endpointDescription, changes: report.applied,
                mutatingOperations: report.mutatingOperations))
        }
    }
}
