import Foundation

/// What `GET /v1/sys/health` says about a node, read from its status code (and body where the code is ambiguous).
public enum VaultHealthState: Sendable, Equatable, CustomStringConvertible {
    /// Initialised, unsealed and active (200 by default).
    case active
    /// Unsealed standby (429).
    case standby
    /// Disaster-recovery secondary (472).
    case drSecondary
    /// Performance standby (473).
    case performanceStandby
    /// Not initialised (501).
    case notInitialized
    /// Sealed (503).
    case sealed
    /// A status code none of the above maps to.
    case unexpected(status: Int)

    /// One word for tables and events.
    public var description: String {
        switch self {
        case .active: "active"
        case .standby: "standby"
        case .drSecondary: "dr-secondary"
        case .performanceStandby: "performance-standby"
        case .notInitialized: "not-initialized"
        case .sealed: "sealed"
        case .unexpected(let status): "unexpected-\(status)"
        }
    }

    /// True when the node serves requests (active, or a standby the caller accepted).
    public var isServing: Bool {
        switch self {
        case .active, .standby, .performanceStandby: true
        default: false
        }
    }
}

/// The query parameters of `sys/health` that change its status codes. Defaults are Vault's.
public struct VaultHealthQuery: Sendable, Equatable {
    /// Answer `activeCode` on a standby (`standbyok`).
    public var standbyOK = false
    /// Answer `activeCode` on a performance standby (`perfstandbyok`).
    public var performanceStandbyOK = false
    public var activeCode = 200
    public var standbyCode = 429
    public var drSecondaryCode = 472
    public var performanceStandbyCode = 473
    public var sealedCode = 503
    public var uninitializedCode = 501

    /// Vault's defaults.
    public init() {}

    /// Only the parameters that differ from Vault's defaults, in a stable order.
    var queryItems: [(String, String)] {
        let defaults = VaultHealthQuery()
        var items: [(String, String)] = []
        if standbyOK { items.append(("standbyok", "true")) }
        if performanceStandbyOK { items.append(("perfstandbyok", "true")) }
        let codes: [(String, Int, Int)] = [
            ("activecode", activeCode, defaults.activeCode), ("standbycode", standbyCode, defaults.standbyCode),
            ("drsecondarycode", drSecondaryCode, defaults.drSecondaryCode),
            ("performancestandbycode", performanceStandbyCode, defaults.performanceStandbyCode),
            ("sealedcode", sealedCode, defaults.sealedCode), ("uninitcode", uninitializedCode, defaults.uninitializedCode),
        ]
        for (name, value, defaultValue) in codes where value != defaultValue { items.append((name, "\(value)")) }
        return items
    }

    /// The state a status code stands for under this query; the body decides when the code is ambiguous.
    func state(status: Int, body: VaultHealthBody?) -> VaultHealthState {
        if let body {
            if !body.initialized { return .notInitialized }
            if body.sealed { return .sealed }
        }
        switch status {
        case uninitializedCode: return .notInitialized
        case sealedCode: return .sealed
        case drSecondaryCode: return .drSecondary
        case performanceStandbyCode: return .performanceStandby
        case standbyCode: return .standby
        case activeCode:
            if let body, body.performanceStandby == true { return .performanceStandby }
            if let body, body.standby { return .standby }
            return .active
        default: return .unexpected(status: status)
        }
    }
}

/// The body of `sys/health` (sent with every status code, not an error envelope).
public struct VaultHealthBody: Sendable, Equatable, Decodable {
    public var initialized: Bool
    public var sealed: Bool
    public var standby: Bool
    public var performanceStandby: Bool?
    public var replicationDRMode: String?
    public var replicationPerformanceMode: String?
    public var serverTimeUTC: Int?
    public var version: String?
    public var clusterName: String?
    public var clusterID: String?

    enum CodingKeys: String, CodingKey {
        case initialized, sealed, standby
        case performanceStandby = "performance_standby"
        case replicationDRMode = "replication_dr_mode"
        case replicationPerformanceMode = "replication_performance_mode"
        case serverTimeUTC = "server_time_utc"
        case version
        case clusterName = "cluster_name"
        case clusterID = "cluster_id"
    }
}

/// The outcome of a health check.
public struct VaultHealth: Sendable, Equatable {
    /// What the node is.
    public var state: VaultHealthState
    /// The HTTP status Vault answered.
    public var status: Int
    /// The body, when one was sent and parsed (HEAD requests and some proxies send none).
    public var body: VaultHealthBody?
}
