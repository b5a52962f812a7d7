import AsyncHTTPClient
import Foundation
import Logging
import SprocketCore

/// Reconciles the buckets of `s3:` (existence, versioning, policy, CORS, lifecycle) on an S3-compatible service.
///
/// A setting the spec leaves out is left as it is; an empty list removes it. `plan` only reads; `apply` performs
/// the planned changes, each re-read from the spec; a second run after a successful one plans nothing and so
/// makes no mutating request. `teardown` deletes nothing without `destroyData`.
public struct S3BucketProvisioner: ExternalResourceProvider {
    public let spec: S3Spec
    public let client: S3Client
    /// The credentials each consumer service receives (the gate check uses them); by consumer name.
    public let consumerCredentials: [String: S3Credentials]

    public var system: String { "s3" }
    public var endpointDescription: String { "\(client.configuration.endpoint) (region \(client.configuration.region))" }
    public var layer: String? { spec.layer }

    /// - Parameters:
    ///   - credentials: The provisioning credentials (from the secrets `s3.credentials` names, or the environment).
    ///   - consumerCredentials: Per consumer; a consumer not listed gets `credentials`.
    public init(
        spec: S3Spec, credentials: S3Credentials, consumerCredentials: [String: S3Credentials] = [:], http: HTTPClient = .shared,
        logger: Logger = Logger(label: "sprocketctl.s3")
    ) {
        self.spec = spec
        let configuration = S3ClientConfiguration(endpoint: spec.endpoint, region: spec.region, pathStyle: spec.pathStyle)
        self.client = S3Client(configuration: configuration, credentials: credentials, http: http, logger: logger)
        var consumers: [String: S3Credentials] = [:]
        for consumer in spec.buckets.flatMap(\.consumers) { consumers[consumer] = consumerCredentials[consumer] ?? credentials }
        self.consumerCredentials = consumers
    }

    public func plan() async throws -> [ExternalChange] {
        var changes: [ExternalChange] = []
        for bucket in spec.buckets {
            changes += try await S3Error.translating { try await plan(bucket) }
        }
        return changes
    }

    public func apply(_ changes: [ExternalChange], fence: LeaseFence) async throws -> ExternalApplyReport {
        let before = client.mutatingRequestCount
        var applied: [ExternalChange] = []
        for change in changes where change.system == system {
            try await fence(change.operation)
            try await S3Error.translating { try await perform(change) }
            applied.append(change)
        }
        return ExternalApplyReport(applied: applied, mutatingOperations: client.mutatingRequestCount - before)
    }

    public func status() async throws -> [ExternalResourceStatus] {
        var statuses: [ExternalResourceStatus] = []
        for bucket in spec.buckets {
            try await S3Error.translating {
                guard try await client.bucketExists(bucket.name) else {
                    statuses.append(ExternalResourceStatus(system: system, kind: "bucket", name: bucket.name, exists: false))
                    return
                }
                let count = try await client.listObjects(bucket.name, limit: 1001).count
                let versioning = try await client.bucketVersioning(bucket.name)
                statuses.append(ExternalResourceStatus(
                    system: system, kind: "bucket", name: bucket.name, exists: true,
                    details: [count > 1000 ? "more than 1000 objects" : "\(count) objects",
                              "versioning \(versioning == .unversioned ? "never enabled" : versioning.rawValue.lowercased())"]))
            }
        }
        return statuses
    }

    public func check() async -> [GateCheckResult] {
        var results: [GateCheckResult] = []
        for bucket in spec.buckets {
            for consumer in bucket.consumers {
                guard let credentials = consumerCredentials[consumer] else { continue }
                let consumerClient = S3Client(
                    configuration: client.configuration, credentials: credentials, http: client.http, logger: client.logger)
                let seen = await canary(bucket.name, client: consumerClient)
                results.append(GateCheckResult(
                    layer: spec.layer ?? "", check: "s3 \(bucket.name) as \(consumer)", passed: seen == nil,
                    expected: "put, get and delete a canary object", seen: seen ?? "put, got back and deleted a canary object"))
            }
        }
        return results
    }

    public func teardown(destroyData: Bool, dryRun: Bool, fence: LeaseFence) async throws -> ExternalTeardownReport {
        var report = ExternalTeardownReport(removed: [], kept: [])
        for bucket in spec.buckets {
            try await S3Error.translating {
                guard try await client.bucketExists(bucket.name) else { return }
                let objects = try await client.listObjects(bucket.name, limit: 1001)
                let holding = objects.isEmpty ? "it is empty" : "it holds \(objects.count > 1000 ? "more than 1000" : "\(objects.count)") objects"
                guard destroyData else {
                    report.kept.append("bucket \(bucket.name) kept (\(holding)): --destroy-data empties and deletes it")
                    return
                }
                let change = ExternalChange(
                    system: system, kind: "bucket", name: bucket.name, action: .delete, details: ["emptied: \(holding)"],
                    destroysData: !objects.isEmpty)
                if !dryRun {
                    try await fence(change.operation)
                    try await emptyAndDelete(bucket.name)
                }
                report.removed.append(change)
            }
        }
        return report
    }

    // MARK: - Planning

    private func plan(_ bucket: S3BucketSpec) async throws -> [ExternalChange] {
        func change(_ kind: String, _ action: ExternalChange.Action, _ details: [String]) -> ExternalChange {
            ExternalChange(system: system, kind: kind, name: bucket.name, action: action, details: details)
        }
        guard try await client.bucketExists(bucket.name) else {
            var changes = [change("bucket", .create, ["region \(spec.region)"])]
            if bucket.versioning == true { changes.append(change("bucket-versioning", .create, ["versioning enabled"])) }
            if bucket.policy != nil { changes.append(change("bucket-policy", .create, ["policy set"])) }
            if let cors = bucket.cors, !cors.isEmpty { changes.append(change("bucket-cors", .create, ["\(cors.count) CORS rules"])) }
            if let rules = bucket.lifecycle, !rules.isEmpty {
                changes.append(change("bucket-lifecycle", .create, Self.lifecycleRules(rules).map(\.effect)))
            }
            return changes
        }
        var changes: [ExternalChange] = []
        if let wanted = bucket.versioning {
            let current = try await client.bucketVersioning(bucket.name)
            if wanted && current != .enabled {
                changes.append(change("bucket-versioning", .update, ["versioning \(Self.describe(current)) -> enabled"]))
            } else if !wanted && current == .enabled {
                changes.append(change("bucket-versioning", .update, ["versioning enabled -> suspended"]))
            }
        }
        if let wanted = bucket.policy {
            let current = try await client.bucketPolicy(bucket.name)
            if current == nil {
                changes.append(change("bucket-policy", .create, ["policy set"]))
            } else if let current, !S3PolicyComparison.equivalent(current, wanted) {
                changes.append(change("bucket-policy", .update, ["policy changed"]))
            }
        }
        if let wanted = bucket.cors {
            let current = try await client.bucketCORS(bucket.name)
            if Set(current.map(\.normalized)) != Set(Self.corsRules(wanted).map(\.normalized)) {
                let action: ExternalChange.Action = wanted.isEmpty ? .delete : current.isEmpty ? .create : .update
                changes.append(change("bucket-cors", action, ["CORS rules: \(current.count) -> \(wanted.count)"]))
            }
        }
        if let wanted = bucket.lifecycle {
            let current = try await client.bucketLifecycle(bucket.name)
            let desired = Self.lifecycleRules(wanted)
            if Set(current.map(\.effect)) != Set(desired.map(\.effect)) {
                let action: ExternalChange.Action = wanted.isEmpty ? .delete : current.isEmpty ? .create : .update
                changes.append(change("bucket-lifecycle", action, desired.isEmpty ? ["lifecycle rules removed"] : desired.map(\.effect)))
            }
        }
        return changes
    }

    private static func describe(_ status: S3VersioningStatus) -> String {
        switch status {
        case .unversioned: "off"
        case .enabled: "enabled"
        case .suspended: "suspended"
        }
    }

    static func corsRules(_ rules: [S3BucketSpec.CORSRule]) -> [S3CORSRule] {
        rules.map {
            S3CORSRule(
                allowedOrigins: $0.origins, allowedMethods: $0.methods, allowedHeaders: $0.headers, exposeHeaders: $0.exposeHeaders,
                maxAgeSeconds: $0.maxAgeSeconds)
        }
    }

    /// Rules with stable IDs derived from what they do, so a re-run writes the same document.
    static func lifecycleRules(_ rules: [S3BucketSpec.LifecycleRule]) -> [S3LifecycleRule] {
        rules.enumerated().map { index, rule in
            S3LifecycleRule(id: "sprocket-expire-\(index + 1)", prefix: rule.prefix, expireDays: rule.expireDays)
        }
    }

    // MARK: - Applying

    private func perform(_ change: ExternalChange) async throws {
        guard let bucket = spec.buckets.first(where: { $0.name == change.name }) else {
            throw SprocketError(
                .unsupportedChange, "the change names bucket \(change.name), which the spec does not declare", subject: change.name,
                hint: "plan again from the current spec")
        }
        switch (change.kind, change.action) {
        case ("bucket", .create):
            try await client.createBucket(bucket.name)
        case ("bucket", .delete):
            try await emptyAndDelete(bucket.name)
        case ("bucket-versioning", _):
            try await client.putBucketVersioning(bucket.name, enabled: bucket.versioning ?? false)
        case ("bucket-policy", .delete):
            try await client.deleteBucketPolicy(bucket.name)
        case ("bucket-policy", _):
            if let policy = bucket.policy { try await client.putBucketPolicy(bucket.name, policy) }
        case ("bucket-cors", _):
            let rules = Self.corsRules(bucket.cors ?? [])
            if rules.isEmpty { try await client.deleteBucketCORS(bucket.name) } else { try await client.putBucketCORS(bucket.name, rules) }
        case ("bucket-lifecycle", _):
            let rules = Self.lifecycleRules(bucket.lifecycle ?? [])
            if rules.isEmpty {
                try await client.deleteBucketLifecycle(bucket.name)
            } else {
                try await client.putBucketLifecycle(bucket.name, rules)
            }
        default:
            throw SprocketError(
                .unsupportedChange, "unknown S3 change `\(change.kind)` (\(change.action.rawValue))", subject: change.name,
                hint: "plan again with this version of sprocketctl")
        }
    }

    /// Deletes every object (every version, when the bucket was ever versioned), then the bucket.
    private func emptyAndDelete(_ bucket: String) async throws {
        if try await client.bucketVersioning(bucket) != .unversioned {
            for version in try await client.listObjectVersions(bucket) {
                try await client.deleteObject(bucket, version.key, versionID: version.versionID)
            }
        } else {
            for object in try await client.listObjects(bucket) { try await client.deleteObject(bucket, object.key) }
        }
        try await client.deleteBucket(bucket)
    }

    // MARK: - Checking

    /// Puts, reads back and deletes a canary object; nil when all three worked, else what went wrong.
    private func canary(_ bucket: String, client: S3Client) async -> String? {
        let key = ".sprocket-canary/\(UUID().uuidString.lowercased())"
        let body = Array("sprocket canary \(key)".utf8)
        do {
            try await client.putObject(bucket, key, body: body, contentType: "text/plain")
            let read = try await client.getObject(bucket, key)
            try await client.deleteObject(bucket, key)
            guard read?.body == body else { return "the canary object read back differs from what was written" }
            return nil
        } catch {
            return "\(error)"
        }
    }

}
