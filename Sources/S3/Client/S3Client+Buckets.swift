import Foundation

extension S3Client {
    /// The names of the buckets the credentials own. `GET /`.
    public func listBuckets() async throws -> [String] {
        let response = try await send(Request(method: "GET", bucket: nil, key: nil))
        let document = try parse(response, what: "the bucket list")
        return document.child("Buckets")?.all("Bucket").compactMap { $0.value("Name") } ?? []
    }

    /// Whether the bucket exists and the credentials may reach it. `HEAD /bucket`; 404 is false, 403 throws.
    public func bucketExists(_ bucket: String) async throws -> Bool {
        let request = Request(method: "HEAD", bucket: bucket, key: nil)
        let response = try await send(request, accepting: [404])
        return response.status != 404
    }

    /// Creates a bucket in the client's region. `PUT /bucket`; an existing bucket of ours is not an error.
    public func createBucket(_ bucket: String) async throws {
        var body = Data()
        if configuration.region != "us-east-1" {
            body = Data((
                "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                    + S3XMLElement.element("LocationConstraint", configuration.region) + "</CreateBucketConfiguration>").utf8)
        }
        do {
            try await send(Request(method: "PUT", bucket: bucket, key: nil, body: body))
        } catch let error as S3Error where error.kind == .bucketAlreadyOwnedByYou {
            return
        }
    }

    /// Deletes an empty bucket. `DELETE /bucket`; S3 refuses (``S3Error/Kind/bucketNotEmpty``) when it holds objects.
    public func deleteBucket(_ bucket: String) async throws {
        try await send(Request(method: "DELETE", bucket: bucket, key: nil))
    }

    func parse(_ response: Response, what: String) throws -> S3XMLElement {
        guard let document = S3XMLElement.parse(response.body) else {
            throw S3Error(
                kind: .other, code: "MalformedAnswer", message: "\(what) is not well-formed XML", status: response.status,
                endpoint: configuration.endpoint)
        }
        return document
    }
}
