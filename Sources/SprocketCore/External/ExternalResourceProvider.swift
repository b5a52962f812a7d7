/// A system outside Docker whose resources a stack declares and `plan`, `up`, `status` and `down` reconcile
/// next to the layers: roles, databases and grants on a managed PostgreSQL; buckets on S3-compatible storage.
///
/// A provider only talks to its system; the CLI decides when it runs (before the layer named by ``layer``) and
/// how its changes are shown. `plan` never mutates; `apply` performs exactly the changes `plan` returned (read
/// again under the state lock) and nothing else.
public protocol ExternalResourceProvider: Sendable {
    /// The system, as shown in plan output and errors: `postgres`, `s3`.
    var system: String { get }
    /// Where the system is reached, for messages: `db.example.com:25060 (sslmode=require)`, `https://fra1.digitaloceanspaces.com`.
    var endpointDescription: String { get }
    /// The layer before whose services the resources are provisioned; nil means before the first layer.
    var layer: String? { get }

    /// Reads what exists and returns the changes that bring it to the spec, in the order they must run.
    /// - Throws: ``SprocketError`` naming the endpoint when the system cannot be reached or read.
    func plan() async throws -> [ExternalChange]

    /// Applies `changes` (from ``plan()``) and reports what was done; `fence` is called with each change's
    /// ``ExternalChange/operation`` right before the call that makes it (the run's lease check).
    func apply(_ changes: [ExternalChange], fence: LeaseFence) async throws -> ExternalApplyReport

    /// The declared resources as they stand now (exists, owner, size, …), for `status` and `docs`.
    func status() async throws -> [ExternalResourceStatus]

    /// The gate checks of the system (log in as each role; put, get and delete a canary object with each
    /// consumer's credentials). Every check gives a result; a failing one does not throw.
    func check() async -> [GateCheckResult]

    /// What `down` does: never drops data (a database, a non-empty bucket) unless `destroyData` is true;
    /// returns the changes it made or would make and the resources it kept, each with the reason.
    /// `fence` is called as in ``apply(_:fence:)`` before each drop or delete.
    func teardown(destroyData: Bool, dryRun: Bool, fence: LeaseFence) async throws -> ExternalTeardownReport
}

/// One change to an external resource. Carries no secret: a password change says "password changed", never the value.
public struct ExternalChange: Sendable, Hashable, Codable {
    public enum Action: String, Sendable, Hashable, Codable {
        case create, update, delete
    }

    public var system: String
    /// The kind of resource: `role`, `database`, `schema`, `grant`, `extension`, `bucket`, `bucket-policy`, …
    public var kind: String
    /// The resource's name, e.g. `sprocket_api`, `sprocket_staging`, `SELECT ON ALL TABLES IN SCHEMA public TO api`.
    public var name: String
    public var action: Action
    /// Human-readable lines about what changes (`connection limit 10 -> 20`, `password changed`).
    public var details: [String]
    /// True when applying it loses data (drop database, delete a non-empty bucket): only with `--destroy-data`.
    public var destroysData: Bool

    /// The change as a lease check names the call that makes it: `postgres: create role sprocket_api`.
    public var operation: String { "\(system): \(action.rawValue) \(kind) \(name)" }

    public init(system: String, kind: String, name: String, action: Action, details: [String] = [], destroysData: Bool = false) {
        self.system = system
        self.kind = kind
        self.name = name
        self.action = action
        self.details = details
        self.destroysData = destroysData
    }
}

/// What `apply` did: the changes made, and how many requests or statements mutated something (a no-op run reports 0).
public struct ExternalApplyReport: Sendable, Hashable, Codable {
    public var applied: [ExternalChange]
    public var mutatingOperations: Int

    public init(applied: [ExternalChange], mutatingOperations: Int) {
        self.applied = applied
        self.mutatingOperations = mutatingOperations
    }
}

/// One declared resource as it stands.
public struct ExternalResourceStatus: Sendable, Hashable, Codable {
    public var system: String
    public var kind: String
    public var name: String
    public var exists: Bool
    /// Facts worth showing: `owner sprocket_admin`, `12 objects`, `versioning enabled`.
    public var details: [String]

    public init(system: String, kind: String, name: String, exists: Bool, details: [String] = []) {
        self.system = system
        self.kind = kind
        self.name = name
        self.exists = exists
        self.details = details
    }
}

/// What `down` did (or, with `dryRun`, would do) to external resources.
public struct ExternalTeardownReport: Sendable, Hashable, Codable {
    public var removed: [ExternalChange]
    /// Resources left in place, each with why (`database sprocket_prod kept: it holds data; --destroy-data drops it`).
    public var kept: [String]

    public init(removed: [ExternalChange], kept: [String]) {
        self.removed = removed
        self.kept = kept
    }
}
