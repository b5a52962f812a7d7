/// A typed health check as written in the spec: an entry of a service's `checks:` or of a layer's `gate:`.
///
/// The loader fills in only what the text says (plus the literal defaults of `method`, `path` and `status`);
/// ports, networks, images and timings left out are resolved later, by ``CheckResolver``, from the service.
/// Not to be confused with ``HealthcheckSpec``, Docker's own `healthcheck:` that runs inside each container.
public struct CheckSpec: Sendable, Hashable {
    /// What is checked.
    public enum Probe: Sendable, Hashable {
        /// Every desired task running (and healthy, when the service has a health check).
        case replicas
        /// Fewer than `restarts` task restarts within `window` (nil: the defaults).
        case noRestartLoop(restarts: Int?, window: Duration?)
        case http(HTTPCheckSpec)
        /// A TCP connection is accepted.
        case tcp(CheckEndpointSpec)
        /// A command exits 0 in a one-shot job.
        case command(CommandCheckSpec)
    }

    /// The spellings of the kinds, as the keys of a check entry.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case replicas
        case http
        case tcp
        case command
        case noRestartLoop = "no-restart-loop"
    }

    public var probe: Probe
    /// The service checked: `service:` of a gate entry; nil in a service's own `checks:` (it is that service).
    public var service: String?
    public var timeout: Duration?
    public var interval: Duration?
    public var retries: Int?
    /// The entry (its kind key).
    public var location: SourceLocation
    /// Where individual keys are written (`service`, `port`, `network`, `published`, ...), for precise diagnostics.
    public var keyLocations: [String: SourceLocation]

    public init(
        probe: Probe, service: String? = nil, timeout: Duration? = nil, interval: Duration? = nil, retries: Int? = nil,
        location: SourceLocation, keyLocations: [String: SourceLocation] = [:]
    ) {
        self.probe = probe
        self.service = service
        self.timeout = timeout
        self.interval = interval
        self.retries = retries
        self.location = location
        self.keyLocations = keyLocations
    }

    public var kind: Kind {
        switch probe {
        case .replicas: .replicas
        case .noRestartLoop: .noRestartLoop
        case .http: .http
        case .tcp: .tcp
        case .command: .command
        }
    }

    /// The location of `key` if it is written, else the entry's.
    public func location(of key: String) -> SourceLocation {
        keyLocations[key] ?? location
    }

    /// The endpoint of an http or tcp check.
    public var endpoint: CheckEndpointSpec? {
        switch probe {
        case .http(let http): http.endpoint
        case .tcp(let endpoint): endpoint
        default: nil
        }
    }
}

/// Where an http or tcp check connects.
public struct CheckEndpointSpec: Sendable, Hashable {
    /// How the port is reached from the tool instead of from inside the overlay network.
    public enum Published: Sendable, Hashable {
        /// `published: true`: the host port the service publishes for ``CheckEndpointSpec/port``.
        case matching
        /// `published: 18080`: this host port.
        case port(Int)
    }

    /// The port the service listens on (nil: the only port the service declares).
    public var port: Int?
    /// Nil: probe from inside the network by a short-lived job.
    public var published: Published?
    /// The network the probe job joins (nil: the service's first network).
    public var network: String?
    /// The probe job's image (nil: the `probe_image` setting, else ``CheckDefaults/probeImage``).
    public var image: String?

    public init(port: Int? = nil, published: Published? = nil, network: String? = nil, image: String? = nil) {
        self.port = port
        self.published = published
        self.network = network
        self.image = image
    }
}

public struct HTTPCheckSpec: Sendable, Hashable {
    public static let methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"]

    public var method: String
    public var path: String
    /// The expected status code.
    public var status: Int
    /// A substring the response body must contain.
    public var body: String?
    public var endpoint: CheckEndpointSpec

    public init(method: String = "GET", path: String = "/", status: Int = 200, body: String? = nil, endpoint: CheckEndpointSpec = CheckEndpointSpec()) {
        self.method = method
        self.path = path
        self.status = status
        self.body = body
        self.endpoint = endpoint
    }
}

public struct CommandCheckSpec: Sendable, Hashable {
    /// The command and its arguments (a string is split like a shell, without expansion).
    public var run: [String]
    /// The network the job joins (nil: the service's first network, or none for a gate entry without a service).
    public var network: String?
    /// The job's image (nil: the checked service's image, else the probe image).
    public var image: String?

    public init(run: [String], network: String? = nil, image: String? = nil) {
        self.run = run
        self.network = network
        self.image = image
    }
}

extension CheckEndpointSpec {
    /// `port`, or the only container port the service declares under `ports:`; nil when neither decides.
    public func resolvedPort(in service: ServiceSpec) -> Int? {
        if let port { return port }
        let targets = Set(service.ports.filter { $0.transportProtocol == .tcp }.map(\.target))
        return targets.count == 1 ? targets.first : nil
    }

    /// The host port to connect to from the tool: the given one, or the one the service publishes for `port`.
    public func resolvedHostPort(in service: ServiceSpec) -> Int? {
        switch published {
        case .port(let port): return port
        case .matching:
            guard let target = resolvedPort(in: service) else { return nil }
            return service.ports.first { $0.target == target && $0.transportProtocol == .tcp && $0.published != nil }?.published
        case nil: return nil
        }
    }

    /// The logical network a probe joins: `network`, or the service's first.
    public func resolvedNetwork(in service: ServiceSpec) -> String? {
        network ?? service.networks.first?.name
    }
}
