/// One check, resolved for a run: Docker names, ports, networks, images and timings filled in.
///
/// Built by ``CheckResolver`` (for gates and `verify`) and run through a ``CheckProbe`` by ``CheckRunner``.
public struct DesiredCheck: Sendable, Hashable {
    /// Why the check exists.
    public enum Origin: String, Sendable, Hashable, Codable {
        /// Derived from the spec without being written (`replicas`, `no-restart-loop` of every service).
        case implicit
        /// A service's `checks:`.
        case service
        /// A layer's `gate:`.
        case gate
        /// Added by `verify` only (published ports answering, lingering tasks).
        case verify
    }

    /// What one attempt does.
    public enum Kind: Sendable, Hashable {
        /// `expected` tasks of the current service version running (nil: as many as Docker wants, for global
        /// services). A task with a health check only reaches `running` once healthy.
        case replicas(expected: Int?)
        /// Fewer than `restarts` tasks that ended (failed, or exited under a restart policy) within `window`.
        case noRestartLoop(restarts: Int, window: Duration)
        case http(HTTPProbeRequest)
        case tcp(ProbeTarget)
        case command(CommandProbe)
        /// No task of a superseded service version still running.
        case noLingeringTasks
    }

    /// A stable, readable name: `api: http GET /health`.
    public var name: String
    public var layer: String
    public var origin: Origin
    /// The service checked (nil for a gate command that names none).
    public var service: CheckedService?
    public var kind: Kind
    public var timing: CheckTiming
    /// Labels for anything the probe creates (the stack environment's ownership labels).
    public var labels: [String: String]

    public init(
        name: String, layer: String, origin: Origin, service: CheckedService?, kind: Kind, timing: CheckTiming,
        labels: [String: String] = [:]
    ) {
        self.name = name
        self.layer = layer
        self.origin = origin
        self.service = service
        self.kind = kind
        self.timing = timing
        self.labels = labels
    }
}

/// The service a check is about.
public struct CheckedService: Sendable, Hashable {
    /// The spec name (also the service's DNS alias on its networks).
    public var name: String
    public var dockerName: String
    /// The stack environment prefix of Docker names (`<stack>-<env>`), for naming probe jobs.
    public var namePrefix: String

    public init(name: String, dockerName: String, namePrefix: String) {
        self.name = name
        self.dockerName = dockerName
        self.namePrefix = namePrefix
    }
}

/// How long one attempt may take, how long to wait between attempts, and how many attempts fail the check.
public struct CheckTiming: Sendable, Hashable, Codable {
    public var timeout: Duration
    public var interval: Duration
    /// Attempts before the check fails (it passes at the first attempt that passes).
    public var retries: Int

    public init(timeout: Duration, interval: Duration, retries: Int) {
        self.timeout = timeout
        self.interval = interval
        self.retries = retries
    }
}

/// Where an http or tcp attempt connects.
public enum ProbeTarget: Sendable, Hashable {
    /// From a short-lived job on `network` (a Docker name), to `host:port` (the service's DNS alias).
    case network(network: String, host: String, port: Int, image: String)
    /// From the tool itself, to a port the service publishes on the host.
    case published(port: Int)

    public var port: Int {
        switch self {
        case .network(_, _, let port, _): port
        case .published(let port): port
        }
    }
}

public struct HTTPProbeRequest: Sendable, Hashable {
    public var method: String
    public var path: String
    public var expectedStatus: Int
    public var bodyContains: String?
    public var target: ProbeTarget

    public init(method: String, path: String, expectedStatus: Int, bodyContains: String?, target: ProbeTarget) {
        self.method = method
        self.path = path
        self.expectedStatus = expectedStatus
        self.bodyContains = bodyContains
        self.target = target
    }
}

public struct CommandProbe: Sendable, Hashable {
    public var run: [String]
    public var image: String
    /// The Docker name of the network the job joins (nil: none).
    public var network: String?

    public init(run: [String], image: String, network: String?) {
        self.run = run
        self.image = image
        self.network = network
    }
}

/// The defaults a check gets for what its entry leaves out.
public enum CheckDefaults {
    /// The image of http and tcp probe jobs when neither the check's `image` nor the `probe_image` setting names one.
    public static let probeImage = "busybox:1.36"
    /// The setting that overrides ``probeImage`` for a whole stack (and so `SPROCKET_PROBE_IMAGE` when declared).
    public static let probeImageSetting = "probe_image"

    /// The image of `stack`'s probe jobs: its `probe_image` setting, else ``probeImage``.
    public static func probeImage(of stack: StackSpec) -> String {
        stack.settings[probeImageSetting]?.description ?? probeImage
    }
    public static let restarts = 3
    public static let restartWindow: Duration = .seconds(120)

    /// Per kind: http, tcp and command checks try 3 times 2 s apart with 5 s each; `replicas` is given 5 tries
    /// (a task may still be settling right after convergence); `no-restart-loop` measures once.
    public static func timing(for kind: CheckSpec.Kind) -> CheckTiming {
        switch kind {
        case .http, .tcp, .command: CheckTiming(timeout: .seconds(5), interval: .seconds(2), retries: 3)
        case .replicas: CheckTiming(timeout: .seconds(10), interval: .seconds(2), retries: 5)
        case .noRestartLoop: CheckTiming(timeout: .seconds(10), interval: .seconds(2), retries: 1)
        }
    }
}
