import DockerEngine
import Foundation
import SecretPipeline
import SprocketCore
import Synchronization
import Vault

/// `up` as one fenced transaction: every phase in order under one lease, taken once at the start and checked before
/// every mutating call to any system (Docker, Vault, PostgreSQL, S3, the sealed store, the state):
///
/// 1. read every secret source (an unreachable Doppler stops the run before anything changes);
/// 2. the layers up to and including Vault's, then Vault itself (initialised, unsealed, mounts and policies);
/// 3. the manifest's secrets into Vault and the sealed store;
/// 4. Vault's tokens and the unsealer's keys;
/// 5. the resources outside Docker (PostgreSQL, S3), before the first layer that uses them;
/// 6. the remaining layers, each behind its gates, then state and history;
/// 7. the revocation of the tokens this run replaced, once their consumers run with the new ones.
///
/// With state on S3 the sealed store is pulled under the lease and shared again under it. A run that loses its
/// lease stops before its next mutating call, rolls nothing back and writes nothing shared.
public final class UpOrchestrator: Sendable {
    public struct Options: Sendable {
        public var planner: Planner.Options
        /// How many engine operations run at once inside a layer.
        public var concurrency: Int
        /// Whether a failed run restores what it changed (`--no-rollback` turns it off).
        public var rollsBack: Bool

        public init(planner: Planner.Options, concurrency: Int = 8, rollsBack: Bool = true) {
            self.planner = planner
            self.concurrency = max(1, concurrency)
            self.rollsBack = rollsBack
        }

        /// The run's name in its history record.
        var command: String { rollsBack ? "up" : "up --no-rollback" }
    }

    /// Asked with the plan before anything changes, when the operator confirms changes; false stops the run.
    public typealias Confirmation = @Sendable (Plan) async -> Bool

    /// The operator declined the plan: nothing was changed.
    public struct Declined: Error, CustomStringConvertible {
        public var description: String { "the plan was not applied: nothing was changed" }
    }

    public let environment: RunEnvironment
    public let events: ApplyEventHandler
    public let notices: RunNoticeHandler
    private let engine = Mutex<EngineHandle?>(nil)

    public init(environment: RunEnvironment, events: @escaping ApplyEventHandler, notices: @escaping RunNoticeHandler) {
        self.environment = environment
        self.events = events
        self.notices = notices
    }

    /// The Docker calls the run made so far (nil: it never reached the engine).
    public var dockerCalls: APICallStats? { engine.withLock { $0 }?.callStats }
    /// The Vault calls the run made so far.
    public var vaultCalls: APICallStats { environment.vaultCalls.stats() }

    /// Brings the stack environment to `stack`.
    /// - Parameters:
    ///   - extraGates: gates run after each layer besides the spec's checks, Vault's unseal gate and the external
    ///     resources' checks (the CLI adds Traefik's route gate).
    ///   - confirm: when set and the plan has changes, asked with the plan first; declining throws ``Declined``.
    public func run(
        _ stack: StackSpec, options: Options, extraGates: [any LayerGate] = [], confirm: Confirmation? = nil
    ) async throws -> Deployment.Result {
        let identity = StackIdentity(stack: stack.name, environment: stack.environment)
        let vaultGate = stack.vault.map { vault in
            VaultUnsealGate(
                vault: vault, keyFile: environment.secretPipeline.vaultKeyFile(declared: vault.keyFile),
                passphrase: environment.secretPipeline.vaultPassphrase, logger: environment.logger, calls: environment.vaultCalls)
        }
        let externalGate = ExternalCheckGate(firstLayer: stack.layers.first?.name)
        return try await environment.withDeployment(
            concurrency: options.concurrency, events: events, extraGates: (vaultGate.map { [$0] } ?? []) + [externalGate] + extraGates,
            sharingSealedStoreOf: identity
        ) { deployment, engine in
            self.engine.withLock { $0 = engine }
            if let confirm {
                let preview = try await deployment.prepare(stack, options: options.planner, offline: false).plan
                if preview.hasChanges, !(await confirm(preview)) { throw Declined() }
            }
            let sharing = try environment.sealedStoreSharing(of: identity)
            return try await deployment.withRunLease(identity, command: options.command) { lease in
                environment.vaultCalls.fenceWrites { operation in try await lease.check(before: operation) }
                return try await sharing.writing(lease: lease) {
                    try await phases(stack, options: options, deployment: deployment, engine: engine, lease: lease,
                                     vaultGate: vaultGate, externalGate: externalGate)
                }
            }
        }
    }

    private func phases(
        _ stack: StackSpec, options: Options, deployment: Deployment, engine: EngineHandle, lease: any StateLease,
        vaultGate: VaultUnsealGate?, externalGate: ExternalCheckGate
    ) async throws -> Deployment.Result {
        let settings = environment.secretPipeline
        try await Self.importRunnerImage(for: stack, engine: engine, lease: lease)
        // The manifest's secrets (up to Vault's layer when they go through Vault), then Vault's tokens: every later
        // step resolves the stack's secrets, tokens included.
        try await SecretSyncPhase(settings: settings, gate: vaultGate, notices: notices, lease: lease).run(
            stack, deployment: deployment, options: options.planner, command: options.command, rollsBack: options.rollsBack, events: events)
        if let vaultGate {
            _ = try await VaultCredentialsPhase(settings: settings, gate: vaultGate, notices: notices, lease: lease).run(
                stack, deployment: deployment, options: options.planner, command: options.command, rollsBack: options.rollsBack, events: events)
        }
        try await ExternalResourcesPhase(environment: environment, notices: notices, lease: lease)
            .run(stack, deployment: deployment, engine: engine, gate: externalGate)
        let result = try await deployment.up(
            stack, options: options.planner, command: options.command, rollsBack: options.rollsBack, lease: lease)
        guard let vaultGate else { return result }
        try await VaultCredentialsPhase(settings: settings, gate: vaultGate, notices: notices, lease: lease)
            .revokeReplacedTokens(stack, command: options.command)
        // Nothing to apply means no layer gate ran: the stack's Vault must still be unsealed and configured.
        if !result.applied {
            let failed = try await vaultGate.ensure(events: events).filter { !$0.passed }
            if !failed.isEmpty {
                throw SprocketError(
                    .gateFailed, failed.map { "\($0.check): expected \($0.expected), saw \($0.seen)" }.joined(separator: "\n"),
                    hint: "nothing else changed; fix Vault (`sprocketctl vault status`) and run `up` again")
            }
        }
        return result
    }

    /// Imports this sprocketctl's runner image into the daemon when a service runs it (`vault.unsealer`,
    /// `vault.renewer`); a no-op when the daemon has it.
    static func importRunnerImage(for stack: StackSpec, engine: EngineHandle, lease: any StateLease) async throws {
        let runner = ExecutableImage()
        let reference = try runner.reference()
        guard stack.layers.contains(where: { $0.services.contains { $0.image == reference } }) else { return }
        let client = try await engine.driver().client
        if try await client.imageExists(reference) { return }
        try await lease.check(before: "importing the runner image \(reference)")
        _ = try await runner.ensure(on: client)
    }
}
