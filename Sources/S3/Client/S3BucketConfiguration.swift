/// One CORS rule of a bucket, as S3 stores it.
public struct S3CORSRule: Sendable, Hashable {
    public var allowedOrigins: [String]
    public var allowedMethods: [String]
    public var allowedHeaders: [String]
    public var exposeHeaders: [String]
    public var maxAgeSeconds: Int?

    public init(
        allowedOrigins: [String], allowedMethods: [String], allowedHeaders: [String] = [], exposeHeaders: [String] = [],
        maxAgeSeconds: Int? = nil
    ) {
        self.allowedOrigins = allowedOrigins
        self.allowedMethods = allowedMethods
        self.allowedHeaders = allowedHeaders
        self.exposeHeaders = exposeHeaders
        self.maxAgeSeconds = maxAgeSeconds
    }

    /// The rule with its lists sorted, for comparing what is stored with what is declared (order means nothing).
    public var normalized: S3CORSRule {
        S3CORSRule(
            allowedOrigins: allowedOrigins.sorted(), allowedMethods: allowedMethods.map { $0.uppercased() }.sorted(),
            allowedHeaders: allowedHeaders.sorted(), exposeHeaders: exposeHeaders.sorted(), maxAgeSeconds: maxAgeSeconds)
    }

    var xml: String {
        "<CORSRule>"
            + allowedOrigins.map { S3XMLElement.element("AllowedOrigin", $0) }.joined()
            + allowedMethods.map { S3XMLElement.element("AllowedMethod", $0) }.joined()
            + allowedHeaders.map { S3XMLElement.element("AllowedHeader", $0) }.joined()
            + exposeHeaders.map { S3XMLElement.element("ExposeHeader", $0) }.joined()
            + (maxAgeSeconds.map { S3XMLElement.element("MaxAgeSeconds", String($0)) } ?? "")
            + "</CORSRule>"
    }

    init(xml element: S3XMLElement) {
        self.init(
            allowedOrigins: element.all("AllowedOrigin").map(\.text), allowedMethods: element.all("AllowedMethod").map(\.text),
            allowedHeaders: element.all("AllowedHeader").map(\.text), exposeHeaders: element.all("ExposeHeader").map(\.text),
            maxAgeSeconds: element.value("MaxAgeSeconds").flatMap { Int($0) })
    }
}

/// One lifecycle rule: objects under ``prefix`` expire after ``expireDays`` days.
public struct S3LifecycleRule: Sendable, Hashable {
    public var id: String
    public var prefix: String
    public var expireDays: Int
    public var enabled: Bool

    public init(id: String, prefix: String, expireDays: Int, enabled: Bool = true) {
        self.id = id
        self.prefix = prefix
        self.expireDays = expireDays
        self.enabled = enabled
    }

    /// What the rule does, without its ID (IDs are labels; two rules doing the same are the same).
    public var effect: String { "\(enabled ? "" : "disabled: ")expire `\(prefix)*` after \(expireDays) days" }

    var xml: String {
        "<Rule>" + S3XMLElement.element("ID", id) + "<Filter>" + S3XMLElement.element("Prefix", prefix) + "</Filter>"
            + S3XMLElement.element("Status", enabled ? "Enabled" : "Disabled")
            + "<Expiration>" + S3XMLElement.element("Days", String(expireDays)) + "</Expiration></Rule>"
    }

    /// Reads a rule; nil for rules this tool does not write (no day-based expiration).
    init?(xml element: S3XMLElement) {
        guard let days = element.child("Expiration")?.value("Days").flatMap({ Int($0) }) else { return nil }
        let prefix = element.child("Filter")?.value("Prefix") ?? element.child("Filter")?.child("And")?.value("Prefix")
            ?? element.value("Prefix") ?? ""
        self.init(id: element.value("ID") ?? "", prefix: prefix, expireDays: days, enabled: element.value("Status") == "Enabled")
    }
}

/// A bucket's versioning state. A bucket that was never versioned has neither status.
public enum S3VersioningStatus: String, Sendable, Hashable {
    case unversioned = ""
    case enabled = "Enabled"
    case suspended = "Suspended"
}

/// An object in a listing.
public struct S3ObjectSummary: Sendable, Hashable {
    public var key: String
    public var size: Int
    public var etag: String
}

/// One version (or delete marker) of an object, as listed by `?versions`.
public struct S3ObjectVersion: Sendable, Hashable {
    public var key: String
    public var versionID: String
}

/// An object's body and its entity tag (for `If-Match` on the next write).
public struct S3Object: Sendable, Hashable {
    public var body: [UInt8]
    public var etag: String
}

/// The condition of a conditional write.
public enum S3WriteCondition: Sendable, Hashable {
    /// Write whatever is there.
    case none
    /// `If-None-Match: *`: only if the key does not exist.
    case ifAbsent
    /// `If-Match: <etag>`: only if the object is still this version.
    case ifMatch(String)
}
