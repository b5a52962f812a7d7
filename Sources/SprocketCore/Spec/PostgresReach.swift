/// How `sprocketctl` reaches the PostgreSQL server it provisions.
///
/// A managed database often trusts only the cluster's nodes (DigitalOcean's trusted sources, a VPC), or runs as a
/// service on an overlay network: the operator's machine cannot connect. Then the provider runs itself as a
/// one-shot Swarm job on a node (and network) that can, and reads the job's answer from its output.
public enum PostgresReach: Sendable, Hashable, Codable {
    /// A TCP connection from where `sprocketctl` runs (the default).
    case direct
    /// A one-shot Swarm job inside the cluster.
    case swarmJob(SwarmJob)

    /// `reach: {via: swarm-job, network: data, image: …, timeout: 2m}`.
    public struct SwarmJob: Sendable, Hashable, Codable {
        /// A network of the spec (by its name in the spec) or an existing Docker network the job joins; nil joins
        /// none, for a database the nodes themselves reach.
        public var network: String?
        /// An image with `sprocketctl` at `/usr/local/bin/sprocketctl`; nil builds one from the running binary on
        /// this node (and places the job here).
        public var image: String?
        /// How long one job may take, from creation to its last line of output.
        public var timeoutSeconds: Int
        public var location: SourceLocation

        public init(network: String? = nil, image: String? = nil, timeoutSeconds: Int = 300, location: SourceLocation) {
            self.network = network
            self.image = image
            self.timeoutSeconds = timeoutSeconds
            self.location = location
        }
    }

    public var swarmJob: SwarmJob? {
        if case .swarmJob(let job) = self { return job }
        return nil
    }
}
