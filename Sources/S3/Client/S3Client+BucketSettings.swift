import Foundation
import Crypto
import SprocketCore

extension S3Client {
    // MARK: Policy

    /// The bucket policy, or nil when the bucket has none. `GET /bucket?policy`.
    public func bucketPolicy(_ bucket: String) async throws -> JSONValue? {
        guard let response = try await settingIfPresent(bucket, "policy") else { return nil }
        do {
            return try JSONDecoder().decode(JSONValue.self, from: response.body)
        } catch {
            throw S3Error(
                kind: .other, code: "MalformedPolicy", message: "the stored policy is not JSON", bucket: bucket,
                endpoint: configuration.endpoint)
        }
    }

    /// Replaces the bucket policy. `PUT /bucket?policy`.
    public func putBucketPolicy(_ bucket: String, _ policy: JSONValue) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try await send(Request(method: "PUT", bucket: bucket, key: nil, query: [("policy", "")], body: try encoder.encode(policy)))
    }

    /// `DELETE /bucket?policy`.
    public func deleteBucketPolicy(_ bucket: String) async throws {
        try await send(Request(method: "DELETE", bucket: bucket, key: nil, query: [("policy", "")]))
    }

    // MARK: CORS

    /// The CORS rules; empty when the bucket has none. `GET /bucket?cors`.
    public func bucketCORS(_ bucket: String) async throws -> [S3CORSRule] {
        guard let response = try await settingIfPresent(bucket, "cors") else { return [] }
        return try parse(response, what: "the CORS configuration").all("CORSRule").map(S3CORSRule.init(xml:))
    }

    /// Replaces the CORS rules. `PUT /bucket?cors`.
    public func putBucketCORS(_ bucket: String, _ rules: [S3CORSRule]) async throws {
        let xml = "<CORSConfiguration>" + rules.map(\.xml).joined() + "</CORSConfiguration>"
        try await send(Request(method: "PUT", bucket: bucket, key: nil, query: [("cors", "")], headers: md5(xml), body: Data(xml.utf8)))
    }

    /// `DELETE /bucket?cors`.
    public func deleteBucketCORS(_ bucket: String) async throws {
        try await send(Request(method: "DELETE", bucket: bucket, key: nil, query: [("cors", "")]))
    }

    // MARK: Lifecycle

    /// The expiration rules; empty when the bucket has none. `GET /bucket?lifecycle`.
    public func bucketLifecycle(_ bucket: String) async throws -> [S3LifecycleRule] {
        guard let response = try await settingIfPresent(bucket, "lifecycle") else { return [] }
        return try parse(response, what: "the lifecycle configuration").all("Rule").compactMap(S3LifecycleRule.init(xml:))
    }

    /// Replaces the lifecycle rules. `PUT /bucket?lifecycle`.
    public func putBucketLifecycle(_ bucket: String, _ rules: [S3LifecycleRule]) async throws {
        let xml = "<LifecycleConfiguration>" + rules.map(\.xml).joined() + "</LifecycleConfiguration>"
        try await send(Request(
            method: "PUT", bucket: bucket, key: nil, query: [("lifecycle", "")], headers: md5(xml), body: Data(xml.utf8)))
    }

    /// `DELETE /bucket?lifecycle`.
    public func deleteBucketLifecycle(_ bucket: String) async throws {
        try await send(Request(method: "DELETE", bucket: bucket, key: nil, query: [("lifecycle", "")]))
    }

    // MARK: Versioning

    /// `GET /bucket?versioning`.
    public func bucketVersioning(_ bucket: String) async throws -> S3VersioningStatus {
        let response = try await send(Request(method: "GET", bucket: bucket, key: nil, query: [("versioning", "")]))
        let status = try parse(response, what: "the versioning configuration").value("Status") ?? ""
        return S3VersioningStatus(rawValue: status) ?? .unversioned
    }

    /// Enables or suspends versioning (a bucket never goes back to unversioned). `PUT /bucket?versioning`.
    public func putBucketVersioning(_ bucket: String, enabled: Bool) async throws {
        let xml = "<VersioningConfiguration>" + S3XMLElement.element("Status", enabled ? "Enabled" : "Suspended")
            + "</VersioningConfiguration>"
        try await send(Request(method: "PUT", bucket: bucket, key: nil, query: [("versioning", "")], body: Data(xml.utf8)))
    }

    /// A sub-resource's answer, or nil when S3 says the bucket has none (404 with a `NoSuch…` code).
    private func settingIfPresent(_ bucket: String, _ subresource: String) async throws -> Response? {
        let request = Request(method: "GET", bucket: bucket, key: nil, query: [(subresource, "")])
        let response = try await send(request, accepting: [404])
        guard response.status == 404 else { return response }
        let error = error(for: response, request: request)
        guard error.kind == .noSuchConfiguration else { throw error }
        return nil
    }

    /// `Content-MD5`, which S3 requires on CORS and lifecycle writes.
    private func md5(_ text: String) -> [(name: String, value: String)] {
        [("content-md5", Data(Insecure.MD5.hash(data: Data(text.utf8))).base64EncodedString())]
    }
}
