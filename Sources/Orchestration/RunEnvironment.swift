import DockerEngine
import Foundation
import Logging
import SecretPipeline
import SprocketCore
import Vault

/// What a command hands the libraries that run it: the process environment (read here once, never by the
/// libraries themselves), the logger, where state lives, the local key, the count of Vault calls, and where
/// warnings go. One per command invocation.
public struct RunEnvironment: Sendable {
    public let environment: [String: String]
    public let logger: Logger
    public let state: StateLocations
    /// Every Vault call of this command, whichever client sent it (`up`'s summary reports them).
    public let vaultCalls = VaultCallCounter()
    /// Where a warning that is no error goes (the CLI prints it on stderr).
    public let warn: @Sendable (String) -> Void

    public init(environment: [String: String], logger: Logger, state: StateLocations, warn: @escaping @Sendable (String) -> Void) {
        self.environment = environment
        self.logger = logger
        self.state = state
        self.warn = warn
    }

    /// The local key that seals the sealed store and keys fingerprints: `SPROCKET_KEY_FILE`, else the default.
    public var keyFilePath: String {
        environment["SPROCKET_KEY_FILE"] ?? SecretKey.defaultPath(home: environment["HOME"] ?? NSHomeDirectory())
    }

    /// The settings the secret pipeline runs with.
    public var secretPipeline: SecretPipelineSettings {
        let state = state
        return SecretPipelineSettings(
            environment: environment, logger: logger, keyFilePath: keyFilePath, localState: { state.store(for: $0) }, vaultCalls: vaultCalls)
    }

    /// The stack environment's sealed store as shared on S3 (pass-through with local state).
    public func sealedStoreSharing(of identity: StackIdentity) throws -> SealedStoreSharing {
        SealedStoreSharing(
            shared: try state.remoteStateFactory?(identity), localPath: state.store(for: identity).sealedSecretsPath, warn: warn)
    }

    /// Runs `body` with the sealed store of `identity` as shared on S3: pulled first; with `writes`, under the stack
    /// environment's lease (taken for this command), and shared again under it.
    public func withSealedStore<T>(of identity: StackIdentity, writes: Bool, command: String, _ body: () async throws -> T) async throws -> T {
        let sharing = try sealedStoreSharing(of: identity)
        guard writes else { return try await sharing.reading(body) }
        return try await withRunLease(identity, command: command) { lease in
            try await sharing.writing(lease: lease, body)
        }
    }

    /// Runs `body` holding the stack environment's lease for its whole length, as `up` does
    /// (``StateStore/withRunLease(command:recordingLossIn:now:redactor:pause:warn:_:)``): the commands that change
    /// a stack outside a deployment (`secrets`, `vault init -f`, `state import`) take it here.
    public func withRunLease<T>(_ identity: StackIdentity, command: String, _ body: (any StateLease) async throws -> T) async throws -> T {
        try await state.stateStore(for: identity).withRunLease(
            command: command, recordingLossIn: state.store(for: identity), pause: leaseCheckPausePoint, warn: warn, body)
    }

    /// The fault tests' stop point before a lease check (`SPROCKET_TEST_PAUSE_AT_CHECK`, ``TestPausePoint``); a no-op
    /// otherwise.
    var leaseCheckPausePoint: @Sendable (String) async -> Void {
        guard let operation = environment["SPROCKET_TEST_PAUSE_AT_CHECK"] else { return { _ in } }
        return TestPausePoint(operation: operation, variable: "SPROCKET_TEST_PAUSE_AT_CHECK").pause
    }

    /// Builds a deployment; the engine client is created only if the command reaches the engine, and is shut down
    /// when the body ends. With `sharingSealedStoreOf`, the stack environment's sealed store is pulled from the S3
    /// state first (a run that writes it shares it again under its lease: ``SealedStoreSharing/writing(lease:_:)``).
    public func withDeployment<T>(
        concurrency: Int = 8,
        events: @escaping ApplyEventHandler = { _ in },
        extraGates: [any LayerGate] = [],
        sharingSealedStoreOf shared: StackIdentity? = nil,
        _ body: (Deployment, EngineHandle) async throws -> T
    ) async throws -> T {
        if let shared {
            return try await try sealedStoreSharing(of: shared).reading {
                try await withDeployment(concurrency: concurrency, events: events, extraGates: extraGates, body)
            }
        }
        let handle = EngineHandle(
            endpoint: try DockerEndpoint.fromEnvironment(environment), logger: logger,
            followsEngineEvents: environment["SPROCKET_CONVERGENCE_WATCH"] != "poll",
            registryCredentials: RegistryCredentialStore(environment: environment))
        var context = DeploymentContext(
            processEnvironment: environment,
            stateRoot: state.localStateRoot,
            stateDirectoryOverride: state.stateDirectoryOverride,
            stateStoreFactory: state.remoteStateFactory,
            keyFilePath: keyFilePath,
            concurrency: concurrency,
            gate: CompositeLayerGate(
                [CheckGate { CheckRunner(probe: DockerCheckProbe(client: try await handle.driver().client)) }] + extraGates),
            events: events,
            driver: { try await handle.driver() }
        )
        if let operation = environment["SPROCKET_TEST_PAUSE_BEFORE"] { context.pausePoint = TestPausePoint(operation: operation).pause }
        context.leaseCheckPausePoint = leaseCheckPausePoint
        do {
            let result = try await body(Deployment(context: context), handle)
            await handle.shutdown()
            return result
        } catch {
            await handle.shutdown()
            throw error
        }
    }
}
