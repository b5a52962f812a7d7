import Foundation
import SprocketCore
import Synchronization

/// An in-memory Swarm for unit tests of the applier and the deployment workflow.
///
/// It keeps networks, volumes, configs, secrets and services (with their version index, spec and previous spec)
/// and answers `observe` the way ``DockerClusterDriver`` does: only objects carrying the stack environment's
/// ownership labels, with layer, name and spec hash read from those labels, network and volume attributes built
/// with ``ObjectAttributes``, and each service's previous spec reduced to the object names it mounts.
///
/// It mimics the engine's refusals that matter for ordering: creating a name that exists is a conflict (volumes
/// excepted: Docker returns the existing one), a service cannot mount a secret or config or join a network that
/// does not exist, an update must carry the current version index, and a network, volume, secret or config that a
/// service's current spec uses cannot be removed. Removing something already gone succeeds, as with the real
/// driver, which treats a 404 as done.
///
/// Every call is recorded in order in ``calls`` (`"createNetwork it-dev_front"`, `"convergence it-dev_api"`).
/// Mutating calls sleep for ``mutationDelay`` while counted as in flight, so ``maxConcurrentCalls`` shows how many
/// overlapped. Failures and convergence are scriptable per call and per service.
public final class RecordingClusterDriver: ClusterDriver, Sendable {
    /// How a service answers the applier's convergence polls.
    public enum ConvergenceScript: Sendable, Hashable {
        /// Converged at the first poll (the default).
        case converges
        /// Progressing for this many polls, then converged.
        case convergesAfter(polls: Int)
        /// Reported as `.failed(reason:)` with no task running.
        case fails(reason: String)
        /// Progressing forever with no task running (the layer's deadline decides).
        case neverConverges
    }

    /// A network, volume, config or secret as the engine holds it.
    public struct StoredObject: Sendable, Hashable {
        public var kind: ResourceKind
        public var id: String
        public var dockerName: String
        /// Including the ownership labels and the spec hash, as the real driver writes them.
        public var labels: [String: String]
        public var driver: String
        public var attachable: Bool
        public var isInternal: Bool
        public var options: [String: String]
        /// The bytes of a config or secret.
        public var content: [UInt8]?

        /// `specHash`, when given, is added as the spec-hash label (as the real driver does on create).
        public init(
            kind: ResourceKind, id: String, dockerName: String, labels: [String: String], specHash: String? = nil, driver: String = "",
            attachable: Bool = false, isInternal: Bool = false, options: [String: String] = [:], content: [UInt8]? = nil
        ) {
            self.kind = kind
            self.id = id
            self.dockerName = dockerName
            self.labels = labels
            if let specHash { self.labels[OwnershipLabel.specHash] = specHash }
            self.driver = driver
            self.attachable = attachable
            self.isInternal = isInternal
            self.options = options
            self.content = content
        }
    }

    /// A service as the engine holds it.
    public struct StoredService: Sendable, Hashable {
        public var id: String
        public var dockerName: String
        /// Service labels including the spec hash.
        public var labels: [String: String]
        public var version: UInt64
        public var definition: ServiceDefinition
        /// The spec before the last update, which Swarm keeps for its own rollback.
        public var previousDefinition: ServiceDefinition?
        public var updateState: String?
    }

    /// The error every scripted or engine-like refusal throws (a ``SprocketError`` with code `.engine` or
    /// `.conflict`, naming the operation and the object, like the real driver's translated errors).
    public static func engineError(_ code: SprocketError.Code = .engine, _ operation: String, _ dockerName: String, _ reason: String) -> SprocketError {
        SprocketError(code, "\(operation) failed: \(reason)", subject: dockerName)
    }

    let cluster = Mutex(Cluster())
    /// How long each mutating call takes, so that concurrent calls overlap visibly.
    public let mutationDelay: Duration

    public init(mutationDelay: Duration = .milliseconds(2)) {
        self.mutationDelay = mutationDelay
    }

    // MARK: - Scripting and inspection

    /// Makes the call with exactly this text (e.g. `"createService it-dev_api"`) throw an engine error.
    public func failCall(_ call: String, reason: String = "scripted failure") {
        cluster.withLock { $0.scriptedFailures[call] = reason }
    }

    /// Sets how the service with this Docker name converges.
    public func script(_ dockerName: String, _ script: ConvergenceScript) {
        cluster.withLock { $0.convergence[dockerName] = script }
    }

    /// What `diagnose` returns for this service.
    public func setDiagnosis(_ dockerName: String, _ diagnosis: ServiceDiagnosis) {
        cluster.withLock { $0.diagnoses[dockerName] = diagnosis }
    }

    /// Every call so far, in order.
    public var calls: [String] { cluster.withLock { $0.calls } }

    /// The calls that change the cluster (creates, updates, removals).
    public var mutatingCalls: [String] {
        calls.filter { call in Self.mutatingVerbs.contains { call.hasPrefix($0 + " ") } }
    }

    public static let mutatingVerbs = [
        "createNetwork", "createVolume", "createConfig", "createSecret", "createService", "updateService",
        "removeService", "removeNetwork", "removeVolume", "removeConfig", "removeSecret",
    ]

    /// The most mutating calls that were in flight at the same time.
    public var maxConcurrentCalls: Int { cluster.withLock { $0.maxInFlight } }

    /// Forgets the recorded calls and the concurrency high-water mark (the cluster stays as it is).
    public func resetCalls() {
        cluster.withLock {
            $0.calls = []
            $0.maxInFlight = 0
        }
    }

    /// Docker names of the stored objects of one kind (services included), sorted.
    public func names(_ kind: ResourceKind) -> [String] {
        cluster.withLock { cluster in
            kind == .service ? cluster.services.keys.sorted() : cluster.allObjects(kind).map(\.dockerName)
        }
    }

    public func object(_ kind: ResourceKind, named dockerName: String) -> StoredObject? {
        cluster.withLock { $0.object(kind, dockerName) }
    }

    public func service(named dockerName: String) -> StoredService? {
        cluster.withLock { $0.services[dockerName] }
    }

    // MARK: - ClusterDriver

    public func observe(_ identity: StackIdentity) async throws -> ObservedState {
        try record("observe \(identity)")
        return snapshot(identity)
    }

    public func createNetwork(_ network: DesiredNetwork) async throws {
        try await mutate("createNetwork", network.dockerName) { cluster in
            guard cluster.object(.network, network.dockerName) == nil else {
                throw Self.engineError(.conflict, "create network", network.dockerName, "a network with this name already exists")
            }
            Self.insert(network, into: &cluster)
        }
    }

    public func createVolume(_ volume: DesiredVolume) async throws {
        try await mutate("createVolume", volume.dockerName) { cluster in
            // Docker returns the existing volume of that name instead of failing.
            if cluster.object(.volume, volume.dockerName) == nil { Self.insert(volume, into: &cluster) }
        }
    }

    public func createObject(_ object: DesiredObject) async throws {
        let verb = object.kind == .secret ? "createSecret" : "createConfig"
        try await mutate(verb, object.dockerName) { cluster in
            guard object.content != nil else {
                throw SprocketError(.secretUnavailable, "no content to create \(object.kind.rawValue) \(object.name) from", subject: object.dockerName)
            }
            guard cluster.object(object.kind, object.dockerName) == nil else {
                throw Self.engineError(.conflict, "create \(object.kind.rawValue)", object.dockerName, "already exists")
            }
            Self.insert(object, into: &cluster)
        }
    }

    public func createService(_ service: DesiredService) async throws {
        try await mutate("createService", service.dockerName) { cluster in
            guard cluster.services[service.dockerName] == nil else {
                throw Self.engineError(.conflict, "create service", service.dockerName, "a service with this name already exists")
            }
            try Self.checkReferences(of: service, in: cluster)
            Self.insert(service, into: &cluster)
        }
    }

    public func updateService(_ service: DesiredService, current: ObservedService) async throws {
        try await mutate("updateService", service.dockerName) { cluster in
            guard let stored = cluster.services[service.dockerName], stored.id == current.id else {
                throw Self.engineError(.engine, "update service", service.dockerName, "404 service not found")
            }
            guard stored.version == current.version else {
                throw Self.engineError(
                    .conflict, "update service", service.dockerName,
                    "update out of sequence (version \(current.version), the service is at \(stored.version))")
            }
            try Self.checkReferences(of: service, in: cluster)
            Self.update(stored, to: service, in: &cluster)
        }
    }

    public func removeService(_ service: ObservedService) async throws {
        try await mutate("removeService", service.dockerName) { cluster in
            cluster.services[service.dockerName] = nil
            cluster.polls[service.dockerName] = nil
        }
    }

    /// Restores the observed definition (the fake has no raw engine spec; the definition is what it stores).
    public func restoreService(_ snapshot: ObservedService) async throws {
        try await mutate("restoreService", snapshot.dockerName) { cluster in
            let restored = DesiredService(name: snapshot.name, dockerName: snapshot.dockerName, definition: snapshot.definition)
            if let stored = cluster.services[snapshot.dockerName] {
                Self.update(stored, to: restored, in: &cluster)
            } else {
                Self.insert(restored, into: &cluster)
            }
        }
    }

    public func waitUntilRemoved(_ services: [ObservedService], timeout: Duration) async throws {
        // Tasks stop as the service is removed here.
        try record("waitUntilRemoved \(services.map(\.dockerName).joined(separator: ","))")
    }

    public func removeObject(_ object: ObservedObject) async throws {
        let verb = "remove" + object.kind.rawValue.prefix(1).uppercased() + object.kind.rawValue.dropFirst()
        try await mutate(verb, object.dockerName) { cluster in
            let users = cluster.users(of: object.kind, object.dockerName)
            guard users.isEmpty else {
                throw Self.engineError(
                    .engine, "remove \(object.kind.rawValue)", object.dockerName,
                    "\(object.kind.rawValue) is in use by service \(users.joined(separator: ", "))")
            }
            cluster.objects[object.kind]?[object.dockerName] = nil
        }
    }

    public func convergence(of serviceNames: [String]) async throws -> [ServiceConvergence] {
        try record("convergence \(serviceNames.joined(separator: ","))")
        return cluster.withLock { cluster in
            serviceNames.map { name in
                guard let service = cluster.services[name] else {
                    return ServiceConvergence(dockerName: name, desiredTasks: 0, runningTasks: 0, phase: .failed(reason: "the service does not exist"))
                }
                cluster.polls[name, default: 0] += 1
                let desired = service.definition.replicas ?? 1
                switch cluster.convergence[name] ?? .converges {
                case .converges:
                    return ServiceConvergence(dockerName: name, desiredTasks: desired, runningTasks: desired, phase: .converged)
                case .convergesAfter(let polls) where cluster.polls[name, default: 0] > polls:
                    return ServiceConvergence(dockerName: name, desiredTasks: desired, runningTasks: desired, phase: .converged)
                case .convergesAfter, .neverConverges:
                    return ServiceConvergence(dockerName: name, desiredTasks: desired, runningTasks: 0, phase: .progressing)
                case .fails(let reason):
                    return ServiceConvergence(dockerName: name, desiredTasks: desired, runningTasks: 0, phase: .failed(reason: reason))
                }
            }
        }
    }

    public func diagnose(serviceNamed dockerName: String, logLines: Int) async throws -> ServiceDiagnosis {
        try record("diagnose \(dockerName)")
        let diagnosis = cluster.withLock { $0.diagnoses[dockerName] } ?? ServiceDiagnosis(taskErrors: [], logLines: [])
        return ServiceDiagnosis(taskErrors: diagnosis.taskErrors, logLines: Array(diagnosis.logLines.suffix(logLines)))
    }

    public func status(_ identity: StackIdentity) async throws -> [ServiceStatusReport] {
        try record("status \(identity)")
        let observed = snapshot(identity)
        return cluster.withLock { cluster in
            observed.services.map { service in
                let desired = service.definition.replicas ?? 1
                var running = desired
                var lastError: String?
                switch cluster.convergence[service.dockerName] ?? .converges {
                case .converges: break
                case .convergesAfter(let polls): if cluster.polls[service.dockerName, default: 0] <= polls { running = 0 }
                case .neverConverges: running = 0
                case .fails(let reason):
                    running = 0
                    lastError = reason
                }
                return ServiceStatusReport(
                    layer: service.layer, name: service.name, dockerName: service.dockerName, image: service.definition.image,
                    mode: service.definition.mode, desiredTasks: desired, runningTasks: running, updateState: service.updateState,
                    restarts: lastError == nil ? 0 : 1, lastError: lastError)
            }
        }
    }

    public func referencedObjectNames() async throws -> Set<String> {
        try record("referencedObjectNames")
        return cluster.withLock { cluster in
            cluster.services.values.reduce(into: Set<String>()) { names, service in
                names.formUnion(service.definition.referencedObjectNames)
                names.formUnion(service.previousDefinition?.referencedObjectNames ?? [])
            }
        }
    }

    // MARK: - Internals

    /// Records a read call and throws its scripted failure, if any.
    private func record(_ call: String) throws {
        let failure = cluster.withLock { cluster in
            cluster.calls.append(call)
            return cluster.scriptedFailures[call]
        }
        if let failure { throw Self.engineError(.engine, call, call.split(separator: " ").dropFirst().joined(separator: " "), failure) }
    }

    /// Records a mutating call, counts it in flight for ``mutationDelay``, then applies `change` atomically.
    private func mutate(_ verb: String, _ dockerName: String, _ change: (inout Cluster) throws -> Void) async throws {
        let call = "\(verb) \(dockerName)"
        let failure = cluster.withLock { cluster in
            cluster.calls.append(call)
            cluster.inFlight += 1
            cluster.maxInFlight = max(cluster.maxInFlight, cluster.inFlight)
            return cluster.scriptedFailures[call]
        }
        defer { cluster.withLock { $0.inFlight -= 1 } }
        try await Task.sleep(for: mutationDelay)
        if let failure { throw Self.engineError(.engine, verb, dockerName, failure) }
        try cluster.withLock { try change(&$0) }
    }
}
