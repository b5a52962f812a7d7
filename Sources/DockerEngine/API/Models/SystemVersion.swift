/// The answer of `GET /version`.
public struct SystemVersion: Codable, Sendable, Equatable {
    /// Engine version, e.g. `20.10.24+dfsg1`.
    public var version: String?
    /// Newest API version the daemon speaks.
    public var apiVersion: String?
    /// Oldest API version the daemon accepts.
    public var minAPIVersion: String?
    /// Operating system, e.g. `linux`.
    public var os: String?
    /// CPU architecture, e.g. `amd64`.
    public var arch: String?
    /// Host kernel version.
    public var kernelVersion: String?
    /// Git commit the engine was built from.
    public var gitCommit: String?
    /// Go version the engine was built with.
    public var goVersion: String?

    /// Creates a version value (mostly useful in tests and fakes).
    public init(
        version: String? = nil, apiVersion: String? = nil, minAPIVersion: String? = nil, os: String? = nil,
        arch: String? = nil, kernelVersion: String? = nil, gitCommit: String? = nil, goVersion: String? = nil
    ) {
        self.version = version
        self.apiVersion = apiVersion
        self.minAPIVersion = minAPIVersion
        self.os = os
        self.arch = arch
        self.kernelVersion = kernelVersion
        self.gitCommit = gitCommit
        self.goVersion = goVersion
    }

    enum CodingKeys: String, CodingKey {
        case version = "Version", apiVersion = "ApiVersion", minAPIVersion = "MinAPIVersion", os = "Os"
        case arch = "Arch", kernelVersion = "KernelVersion", gitCommit = "GitCommit", goVersion = "GoVersion"
    }
}

/// The answer of `GET /_ping`: the body is `OK`; the useful facts are in the headers.
public struct DockerPingResponse: Sendable, Equatable {
    /// The `API-Version` header: the newest API the daemon speaks.
    public var apiVersion: String?
    /// The `OSType` header, e.g. `linux`.
    public var osType: String?
    /// The `Docker-Experimental` header.
    public var isExperimental: Bool
    /// The `Swarm` header (API 1.42+), e.g. `active/manager`; absent on older daemons.
    public var swarm: String?

    /// Creates a ping response value.
    public init(apiVersion: String? = nil, osType: String? = nil, isExperimental: Bool = false, swarm: String? = nil) {
        self.apiVersion = apiVersion
        self.osType = osType
        self.isExperimental = isExperimental
        self.swarm = swarm
    }
}
