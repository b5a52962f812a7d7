extension DockerClient {
    /// The body of `POST /swarm/init`.
    public struct SwarmInitRequest: Encodable, Sendable {
        public var listenAddr: String
        public var advertiseAddr: String?

        public init(listenAddr: String = "0.0.0.0:2377", advertiseAddr: String? = nil) {
            self.listenAddr = listenAddr
            self.advertiseAddr = advertiseAddr
        }

        enum CodingKeys: String, CodingKey {
            case listenAddr = "ListenAddr", advertiseAddr = "AdvertiseAddr"
        }
    }

    /// The body of `POST /swarm/join`. Holds the join token: never log or describe it.
    public struct SwarmJoinRequest: Encodable, Sendable, CustomStringConvertible {
        public var listenAddr: String
        public var advertiseAddr: String?
        public var remoteAddrs: [String]
        public var joinToken: String

        public init(listenAddr: String = "0.0.0.0:2377", advertiseAddr: String? = nil, remoteAddrs: [String], joinToken: String) {
            self.listenAddr = listenAddr
            self.advertiseAddr = advertiseAddr
            self.remoteAddrs = remoteAddrs
            self.joinToken = joinToken
        }

        public var description: String { "swarm join \(remoteAddrs.joined(separator: ",")) (token redacted)" }

        enum CodingKeys: String, CodingKey {
            case listenAddr = "ListenAddr", advertiseAddr = "AdvertiseAddr", remoteAddrs = "RemoteAddrs", joinToken = "JoinToken"
        }
    }

    /// Makes this daemon the first manager of a new swarm.
    ///
    /// Maps to `POST /swarm/init`; the response is the new node's ID.
    public func initSwarm(_ request: SwarmInitRequest) async throws {
        try await sendIgnoringBody(try DockerRequest(.POST, "/swarm/init").withJSONBody(request))
    }

    /// Joins an existing swarm as the role the token is for.
    ///
    /// Maps to `POST /swarm/join`.
    public func joinSwarm(_ request: SwarmJoinRequest) async throws {
        try await sendIgnoringBody(try DockerRequest(.POST, "/swarm/join").withJSONBody(request))
    }
}
