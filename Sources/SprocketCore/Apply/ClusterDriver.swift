/// What the applier needs from an orchestrator. The Docker Engine module implements it; tests use fakes.
///
/// Every method is one logical operation; implementations name the resource and endpoint in their errors.
public protocol ClusterDriver: Sendable {
    /// Everything labelled as `identity`'s.
    func observe(_ identity: StackIdentity) async throws -> ObservedState

    func createNetwork(_ network: DesiredNetwork) async throws
    func createVolume(_ volume: DesiredVolume) async throws
    /// Creates one version of a config or secret (its content is in `object.content`).
    func createObject(_ object: DesiredObject) async throws
    func createService(_ service: DesiredService) async throws
    func updateService(_ service: DesiredService, current: ObservedService) async throws

    func removeService(_ service: ObservedService) async throws
    /// Puts a service back as it was observed before a run (its ``ObservedService/engineSpec``): updates it when
    /// it still exists, creates it again when the run removed it.
    func restoreService(_ snapshot: ObservedService) async throws
    /// Returns once no task of these services is running any more (so their networks and volumes can go).
    func waitUntilRemoved(_ services: [ObservedService], timeout: Duration) async throws
    func removeObject(_ object: ObservedObject) async throws

    /// Convergence of the named services (Docker names).
    func convergence(of serviceNames: [String]) async throws -> [ServiceConvergence]
    /// A live feed of events about these services for a convergence wait, or nil to poll (the default).
    func activityFeed(for serviceNames: [String]) async -> (any ClusterActivityFeed)?
    /// Why a service fails: its tasks' errors and its last log lines.
    func diagnose(serviceNamed dockerName: String, logLines: Int) async throws -> ServiceDiagnosis
    /// Where every service of the stack environment stands, for `status`.
    func status(_ identity: StackIdentity) async throws -> [ServiceStatusReport]
    /// Docker names of configs and secrets referenced by any service's spec or previous spec, right now.
    func referencedObjectNames() async throws -> Set<String>
}

/// Where a service stands on its way to the desired state.
public struct ServiceConvergence: Sendable, Hashable {
    public enum Phase: Sendable, Hashable {
        /// All desired tasks run and any update completed.
        case converged
        /// Still starting or updating.
        case progressing
        /// Will not converge: Swarm paused or rolled back the update, or tasks keep failing.
        case failed(reason: String)
    }

    public var dockerName: String
    public var desiredTasks: Int
    public var runningTasks: Int
    public var phase: Phase
    /// When the answer will change without any event: e.g. a running task completes its stability window then.
    public var recheckIn: Duration?

    public init(dockerName: String, desiredTasks: Int, runningTasks: Int, phase: Phase, recheckIn: Duration? = nil) {
        self.dockerName = dockerName
        self.desiredTasks = desiredTasks
        self.runningTasks = runningTasks
        self.phase = phase
        self.recheckIn = recheckIn
    }
}

/// The evidence shown when a service fails.
public struct ServiceDiagnosis: Sendable, Hashable {
    /// The most recent task errors, newest first (`task 3f2a: exit status 1`).
    public var taskErrors: [String]
    public var logLines: [String]

    public init(taskErrors: [String], logLines: [String]) {
        self.taskErrors = taskErrors
        self.logLines = logLines
    }
}

/// One service's line in `status`.
public struct ServiceStatusReport: Sendable, Hashable, Codable {
    public var layer: String
    public var name: String
    public var dockerName: String
    public var image: String
    public var mode: String
    public var desiredTasks: Int
    public var runningTasks: Int
    /// `UpdateStatus.State`, nil when no update ever ran.
    public var updateState: String?
    /// Tasks that failed or were rejected (Swarm keeps a few per slot), a sign of restarts.
    public var restarts: Int
    public var lastError: String?

    public init(
        layer: String, name: String, dockerName: String, image: String, mode: String, desiredTasks: Int,
        runningTasks: Int, updateState: String?, restarts: Int, lastError: String?
    ) {
        self.layer = layer
        self.name = name
        self.dockerName = dockerName
        self.image = image
        self.mode = mode
        self.desiredTasks = desiredTasks
        self.runningTasks = runningTasks
        self.updateState = updateState
        self.restarts = restarts
        self.lastError = lastError
    }
}
