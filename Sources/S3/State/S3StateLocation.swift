import Foundation
import SprocketCore

/// A state URL: `s3://bucket/prefix?endpoint=http://127.0.0.1:9000&region=us-east-1&path_style=true`.
///
/// The state of each stack environment lives under `<prefix>/<stack>/<env>/`. Without `endpoint`, AWS is meant;
/// `lease_seconds=N` shortens or lengthens the lock's lease (default 60);
/// without `region`, `AWS_REGION` (else `us-east-1`). Credentials come from the environment, never from the URL.
public struct S3StateLocation: Sendable, Hashable, CustomStringConvertible {
    public var bucket: String
    /// Without leading or trailing slashes; may be empty.
    public var prefix: String
    public var configuration: S3ClientConfiguration
    /// The lock's lease (`lease_seconds=`, default 60) and heartbeat (a quarter of it).
    public var timing: S3StateLease.Timing

    /// Whether `text` names S3 state (`s3://…`) rather than a local folder.
    public static func isS3(_ text: String) -> Bool { text.hasPrefix("s3://") }

    /// - Throws: ``SprocketError`` naming the URL and what is wrong with it.
    public init(url text: String, environment: [String: String] = [:]) throws {
        func invalid(_ why: String) -> SprocketError {
            SprocketError(
                .stateIO, "invalid state URL: \(why)", subject: text,
                hint: "write s3://bucket/prefix?endpoint=https://fra1.digitaloceanspaces.com&region=fra1&path_style=false")
        }
        guard Self.isS3(text), let components = URLComponents(string: text), let bucket = components.host, !bucket.isEmpty else {
            throw invalid("expected s3://bucket/prefix")
        }
        if let problem = S3BucketName.problem(bucket) { throw invalid(problem) }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] {
            guard ["endpoint", "region", "path_style", "lease_seconds"].contains(item.name) else {
                throw invalid("unknown parameter `\(item.name)` (known: endpoint, region, path_style, lease_seconds)")
            }
            query[item.name] = item.value ?? ""
        }
        var pathStyle = false
        if let value = query["path_style"] {
            guard let flag = ["true": true, "false": false][value.lowercased()] else { throw invalid("path_style must be true or false") }
            pathStyle = flag
        }
        if let endpoint = query["endpoint"] {
            guard let url = URL(string: endpoint), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw invalid("endpoint `\(endpoint)` is not an http(s) URL")
            }
        }
        var timing = S3StateLease.Timing()
        if let value = query["lease_seconds"] {
            guard let seconds = Int(value), seconds >= 2 else { throw invalid("lease_seconds must be a whole number of seconds, at least 2") }
            timing = S3StateLease.Timing(leaseDuration: .seconds(seconds), heartbeatInterval: .milliseconds(seconds * 250))
        }
        let region = query["region"] ?? environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] ?? "us-east-1"
        self.bucket = bucket
        self.prefix = components.path.split(separator: "/").joined(separator: "/")
        self.configuration = S3ClientConfiguration(endpoint: query["endpoint"], region: region, pathStyle: pathStyle)
        self.timing = timing
    }

    /// The key prefix of one stack environment: `<prefix>/<stack>/<env>`.
    public func base(for identity: StackIdentity) -> String {
        (prefix.isEmpty ? "" : prefix + "/") + "\(identity.stack)/\(identity.environment)"
    }

    public var description: String {
        "s3://\(bucket)" + (prefix.isEmpty ? "" : "/\(prefix)") + " at \(configuration.endpoint)"
    }
}
