import Foundation
import SprocketCore

/// `up`'s first step for a stack with `postgres:` or `s3:`: roles, databases, grants and buckets are brought to
/// the spec before any layer is deployed (they live outside the swarm, and services need them when they start);
/// their gate checks run after the layer each one names.
struct UpExternalResources {
    var runtime: CommandRuntime
    var json: Bool
    /// The run's lease, held for the whole `up`.
    var lease: any StateLease

    /// One line of `up --json` per system that changed.
    struct AppliedEvent: Encodable {
        var event = "external-applied"
        var system: String
        var endpoint: String
        var changes: [ExternalChange]
        var mutatingOperations: Int
    }

    func run(_ stack: StackSpec, deployment: Deployment, engine: EngineHandle, gate: ExternalCheckGate) async throws {
        guard stack.postgres != nil || stack.s3 != nil else { return }
        // Generated passwords must exist before a role is given one; `up` would generate them a moment later anyway.
        let secrets = try deployment.secrets(for: stack, generate: true)
        let providers = try ExternalProviders.make(stack, secrets: secrets, environment: runtime.environment, engine: engine, logger: runtime.logger)
        gate.set(providers)
        for provider in providers {
            let changes = try await provider.plan()
            guard !changes.isEmpty else { continue }
            try await lease.check(before: "applying \(changes.count) changes to \(provider.system) at \(provider.endpointDescription)")
            let report = try await provider.apply(changes)
            if json {
                runtime.console.json(AppliedEvent(
                    system: provider.system, endpoint: provider.endpointDescription, changes: report.applied,
                    mutatingOperations: report.mutatingOperations))
            } else {
                for line in ExternalProviders.render(report.applied, offline: false).dropFirst() { runtime.console.err(line) }
                runtime.console.err("up: \(provider.system) at \(provider.endpointDescription): \(report.applied.count) changes applied")
            }
        }
    }
}
