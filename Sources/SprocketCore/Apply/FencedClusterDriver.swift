/// A driver that checks the run's lease before every mutating call and passes reads through: a run that lost its
/// lock (paused past its lease, then taken over) stops before it touches the swarm again.
///
/// Swarm's own checks back it up for what slips between a check and its call: an update carries the version it
/// read (a stale one is refused as out of sequence), and a create of a name another run created fails with a
/// conflict, which the applier never rolls back (it did not make that object).
public struct FencedClusterDriver: ClusterDriver {
    public let base: any ClusterDriver
    public let lease: any StateLease
    /// Called with the operation's name after its check passed and before the call: tests pause the process there.
    let pausePoint: @Sendable (String) async -> Void

    public init(base: any ClusterDriver, lease: any StateLease, pausePoint: @escaping @Sendable (String) async -> Void = { _ in }) {
        self.base = base
        self.lease = lease
        self.pausePoint = pausePoint
    }

    private func fence(_ operation: String) async throws {
        try await lease.check(before: operation)
        await pausePoint(operation)
    }

    public func observe(_ identity: StackIdentity) async throws -> ObservedState { try await base.observe(identity) }

    public func createNetwork(_ network: DesiredNetwork) async throws {
        try await fence("create network \(network.dockerName)")
        try await base.createNetwork(network)
    }

    public func createVolume(_ volume: DesiredVolume) async throws {
        try await fence("create volume \(volume.dockerName)")
        try await base.createVolume(volume)
    }

    public func createObject(_ object: DesiredObject) async throws {
        try await fence("create \(object.kind.rawValue) \(object.dockerName)")
        try await base.createObject(object)
    }

    public func createService(_ service: DesiredService) async throws {
        try await fence("create service \(service.dockerName)")
        try await base.createService(service)
    }

    public func updateService(_ service: DesiredService, current: ObservedService) async throws {
        try await fence("update service \(service.dockerName)")
        try await base.updateService(service, current: current)
    }

    public func removeService(_ service: ObservedService) async throws {
        try await fence("remove service \(service.dockerName)")
        try await base.removeService(service)
    }

    public func restoreService(_ snapshot: ObservedService) async throws {
        try await fence("restore service \(snapshot.dockerName)")
        try await base.restoreService(snapshot)
    }

    public func waitUntilRemoved(_ services: [ObservedService], timeout: Duration) async throws {
        try await base.waitUntilRemoved(services, timeout: timeout)
    }

    public func removeObject(_ object: ObservedObject) async throws {
        try await fence("remove \(object.kind.rawValue) \(object.dockerName)")
        try await base.removeObject(object)
    }

    public func convergence(of serviceNames: [String]) async throws -> [ServiceConvergence] {
        try await base.convergence(of: serviceNames)
    }

    public func activityFeed(for serviceNames: [String]) async -> (any ClusterActivityFeed)? {
        await base.activityFeed(for: serviceNames)
    }

    public func diagnose(serviceNamed dockerName: String, logLines: Int) async throws -> ServiceDiagnosis {
        try await base.diagnose(serviceNamed: dockerName, logLines: logLines)
    }

    public func status(_ identity: StackIdentity) async throws -> [ServiceStatusReport] { try await base.status(identity) }

    public func referencedObjectNames() async throws -> Set<String> { try await base.referencedObjectNames() }
}
