import Foundation

/// Everything a ``Deployment`` depends on, injected by the CLI (or a test).
public struct DeploymentContext: Sendable {
    /// The process environment (for `SPROCKET_*` settings and `environment:` secrets); the core never reads it itself.
    public var processEnvironment: [String: String]
    /// Root of the local state (`.sprocket` by default); one folder per stack and environment below it.
    public var stateRoot: String
    /// When set, the exact state folder of the stack environment (`--state-dir`), instead of `<root>/<stack>/<env>`.
    public var stateDirectoryOverride: String?
    /// The backend of history, state and lock when it is not the local folder (`--state s3://…`); nil: local.
    public var stateStoreFactory: (@Sendable (StackIdentity) throws -> any StateStore)?
    /// The key that seals generated secrets and keys fingerprints.
    public var keyFilePath: String
    public var concurrency: Int
    /// Checks each converged layer before the next one starts (nil: convergence alone gates).
    public var gate: (any LayerGate)?
    public var events: ApplyEventHandler
    public var now: @Sendable () -> Date
    /// Builds the driver lazily, so offline commands never touch the engine.
    public var driver: @Sendable () async throws -> any ClusterDriver
    /// Called between a lease check and the mutating call it guards, with the call's name: where the tests of a
    /// paused run stop the process (`SPROCKET_TEST_PAUSE_BEFORE`, read by the CLI). A no-op otherwise.
    public var pausePoint: @Sendable (String) async -> Void = { _ in }
    /// Called right before the run's lease is checked for an operation, with its name (a Docker call, a Vault
    /// write, a PostgreSQL or S3 provisioning step, a state write): where the fault tests stop the process at a
    /// phase boundary (`SPROCKET_TEST_PAUSE_AT_CHECK`), so that once resumed the check itself sees a lost lease.
    public var leaseCheckPausePoint: @Sendable (String) async -> Void = { _ in }
    /// Every secret value the run learns is registered here as it is learned; what the run persists (a run
    /// record's error: an engine's answer, a crashing container's log lines) passes through it first.
    public var redactor: SecretRedactor = .shared

    public init(
        processEnvironment: [String: String],
        stateRoot: String,
        stateDirectoryOverride: String? = nil,
        stateStoreFactory: (@Sendable (StackIdentity) throws -> any StateStore)? = nil,
        keyFilePath: String,
        concurrency: Int = 8,
        gate: (any LayerGate)? = nil,
        events: @escaping ApplyEventHandler = { _ in },
        now: @escaping @Sendable () -> Date = { Date() },
        driver: @escaping @Sendable () async throws -> any ClusterDriver
    ) {
        self.processEnvironment = processEnvironment
        self.stateRoot = stateRoot
        self.stateDirectoryOverride = stateDirectoryOverride
        self.stateStoreFactory = stateStoreFactory
        self.keyFilePath = keyFilePath
        self.concurrency = concurrency
        self.gate = gate
        self.events = events
        self.now = now
        self.driver = driver
    }

    public func stateDirectory(_ identity: StackIdentity) -> String {
        stateDirectoryOverride ?? LocalStateStore.directory(root: stateRoot, identity: identity)
    }
}
