import DockerEngine
import Foundation
import SprocketCore
import Synchronization

/// `down` as one fenced run: under one lease, every object of the stack environment is removed from the swarm, then
/// (when the spec is known) the resources outside Docker are torn down: with `destroyData` the databases, roles and
/// buckets are dropped, else they are kept and said to be kept. Each teardown is checked against the lease first.
public final class DownOrchestrator: Sendable {
    public struct Options: Sendable {
        /// Also remove the named volumes (their data is lost).
        public var removeVolumes: Bool
        /// Also drop the spec's databases and roles and delete its buckets with their objects.
        public var destroyData: Bool
        public var concurrency: Int

        public init(removeVolumes: Bool, destroyData: Bool, concurrency: Int = 8) {
            self.removeVolumes = removeVolumes
            self.destroyData = destroyData
            self.concurrency = max(1, concurrency)
        }
    }

    /// What `down` did: the swarm's part, and one report per system outside Docker.
    public struct Outcome: Sendable {
        public var result: Deployment.Result
        public var external: [ExternalTeardownReport]
    }

    public let environment: RunEnvironment
    public let events: ApplyEventHandler
    private let engine = Mutex<EngineHandle?>(nil)

    public init(environment: RunEnvironment, events: @escaping ApplyEventHandler) {
        self.environment = environment
        self.events = events
    }

    /// The Docker calls the run made so far (nil: it never reached the engine).
    public var dockerCalls: APICallStats? { engine.withLock { $0 }?.callStats }

    /// - Parameter spec: the stack's spec when it is known (its resources outside Docker are torn down too); nil
    ///   with `down --stack`, which removes the swarm's objects only.
    public func run(_ identity: StackIdentity, spec: StackSpec?, options: Options) async throws -> Outcome {
        try await environment.withDeployment(concurrency: options.concurrency, events: events, sharingSealedStoreOf: identity) { deployment, engine in
            self.engine.withLock { $0 = engine }
            return try await deployment.withRunLease(identity, command: "down") { lease in
                let result = try await deployment.down(identity, removeVolumes: options.removeVolumes, command: "down", lease: lease)
                var external: [ExternalTeardownReport] = []
                if let spec, spec.postgres != nil || spec.s3 != nil {
                    let secrets = try deployment.secrets(for: spec)
                    for provider in try ExternalProviders.make(
                        spec, secrets: secrets, environment: environment.environment, engine: engine, logger: environment.logger)
                    {
                        try await lease.check(before: "tearing down \(provider.system) at \(provider.endpointDescription)")
                        external.append(try await provider.teardown(
                            destroyData: options.destroyData, dryRun: false, fence: { operation in try await lease.check(before: operation) }))
                    }
                }
                return Outcome(result: result, external: external)
            }
        }
    }
}
