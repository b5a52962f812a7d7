import Foundation

/// Where an S3-compatible service is and how buckets are addressed.
///
/// - AWS: `https://s3.<region>.amazonaws.com`, virtual-host style.
/// - DigitalOcean Spaces: `https://<region>.digitaloceanspaces.com`, virtual-host style.
/// - MinIO and emulators: `http://127.0.0.1:9000`, path style.
public struct S3ClientConfiguration: Sendable, Hashable {
    /// Scheme, host and optional port, without a trailing slash.
    public var endpoint: String
    public var region: String
    /// `endpoint/bucket/key` instead of `bucket.endpoint/key`.
    public var pathStyle: Bool
    /// Deadline of one request.
    public var requestTimeout: Duration

    public init(endpoint: String? = nil, region: String, pathStyle: Bool = false, requestTimeout: Duration = .seconds(30)) {
        let resolved = endpoint ?? "https://s3.\(region).amazonaws.com"
        self.endpoint = resolved.hasSuffix("/") ? String(resolved.dropLast()) : resolved
        self.region = region
        self.pathStyle = pathStyle
        self.requestTimeout = requestTimeout
    }

    /// The URL pieces of a request: the full URL to send, the `Host` header and the encoded path that is signed.
    struct Target {
        var url: String
        var host: String
        var encodedPath: String
    }

    func target(bucket: String?, key: String?, query: [(name: String, value: String)]) throws -> Target {
        guard let base = URLComponents(string: endpoint), let scheme = base.scheme, let endpointHost = base.host else {
            throw S3Error(
                kind: .invalidConfiguration, code: "InvalidEndpoint", message: "`\(endpoint)` is not a URL with a host",
                endpoint: endpoint)
        }
        let port = base.port.map { ":\($0)" } ?? ""
        let encodedKey = key.map { "/" + SigV4Signer.encode($0, keepSlash: true) } ?? ""
        let host: String
        let path: String
        if let bucket, !pathStyle {
            host = "\(bucket).\(endpointHost)\(port)"
            path = encodedKey.isEmpty ? "/" : encodedKey
        } else {
            host = "\(endpointHost)\(port)"
            path = bucket.map { "/" + SigV4Signer.encode($0, keepSlash: false) + encodedKey } ?? "/"
        }
        let queryText = query.map { pair in
            SigV4Signer.encode(pair.name, keepSlash: false) + "=" + SigV4Signer.encode(pair.value, keepSlash: false)
        }.joined(separator: "&")
        return Target(url: "\(scheme)://\(host)\(path)" + (queryText.isEmpty ? "" : "?\(queryText)"), host: host, encodedPath: path)
    }
}
