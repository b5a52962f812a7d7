import Foundation

extension S3Client {
    /// Writes an object, optionally only if absent or unchanged. `PUT /bucket/key`.
    ///
    /// - Returns: The new entity tag.
    /// - Throws: ``S3Error`` of kind ``S3Error/Kind/preconditionFailed`` when `condition` does not hold.
    @discardableResult
    public func putObject(
        _ bucket: String, _ key: String, body: [UInt8], contentType: String = "application/octet-stream",
        condition: S3WriteCondition = .none
    ) async throws -> String {
        var headers: [(name: String, value: String)] = [("content-type", contentType)]
        switch condition {
        case .none: break
        case .ifAbsent: headers.append(("if-none-match", "*"))
        case .ifMatch(let etag): headers.append(("if-match", etag))
        }
        let response = try await send(Request(method: "PUT", bucket: bucket, key: key, headers: headers, body: Data(body)))
        return response.header("ETag") ?? ""
    }

    /// Reads an object, or nil when there is no such key. `GET /bucket/key`.
    public func getObject(_ bucket: String, _ key: String) async throws -> S3Object? {
        let request = Request(method: "GET", bucket: bucket, key: key)
        let response = try await send(request, accepting: [404])
        if response.status == 404 {
            let error = error(for: response, request: request)
            guard error.kind == .noSuchKey else { throw error }
            return nil
        }
        return S3Object(body: Array(response.body), etag: response.header("ETag") ?? "")
    }

    /// The object's entity tag, or nil when there is no such key. `HEAD /bucket/key`.
    public func headObject(_ bucket: String, _ key: String) async throws -> String? {
        let response = try await send(Request(method: "HEAD", bucket: bucket, key: key), accepting: [404])
        return response.status == 404 ? nil : response.header("ETag") ?? ""
    }

    /// Deletes an object (or one version of it); deleting a missing key succeeds. `DELETE /bucket/key`.
    public func deleteObject(_ bucket: String, _ key: String, versionID: String? = nil, ifMatch etag: String? = nil) async throws {
        let query = versionID.map { [(name: "versionId", value: $0)] } ?? []
        let headers = etag.map { [(name: "if-match", value: $0)] } ?? []
        try await send(Request(method: "DELETE", bucket: bucket, key: key, query: query, headers: headers))
    }

    /// Every object under `prefix`, following continuation tokens. `GET /bucket?list-type=2`.
    public func listObjects(_ bucket: String, prefix: String = "", pageSize: Int = 1000, limit: Int? = nil) async throws -> [S3ObjectSummary] {
        var objects: [S3ObjectSummary] = []
        var token: String?
        repeat {
            var query: [(name: String, value: String)] = [("list-type", "2"), ("max-keys", String(pageSize))]
            if !prefix.isEmpty { query.append(("prefix", prefix)) }
            if let token { query.append(("continuation-token", token)) }
            let page = try parse(try await send(Request(method: "GET", bucket: bucket, key: nil, query: query)), what: "the object list")
            objects += page.all("Contents").map { item in
                S3ObjectSummary(
                    key: item.value("Key") ?? "", size: item.value("Size").flatMap { Int($0) } ?? 0, etag: item.value("ETag") ?? "")
            }
            token = page.value("IsTruncated") == "true" ? page.value("NextContinuationToken") : nil
            if let limit, objects.count >= limit { return Array(objects.prefix(limit)) }
        } while token != nil
        return objects
    }

    /// Every version and delete marker in the bucket, following markers. `GET /bucket?versions`.
    public func listObjectVersions(_ bucket: String) async throws -> [S3ObjectVersion] {
        var versions: [S3ObjectVersion] = []
        var keyMarker: String?
        var versionMarker: String?
        repeat {
            var query: [(name: String, value: String)] = [("versions", "")]
            if let keyMarker { query.append(("key-marker", keyMarker)) }
            if let versionMarker { query.append(("version-id-marker", versionMarker)) }
            let page = try parse(try await send(Request(method: "GET", bucket: bucket, key: nil, query: query)), what: "the version list")
            versions += (page.all("Version") + page.all("DeleteMarker")).compactMap { item in
                guard let key = item.value("Key"), let id = item.value("VersionId") else { return nil }
                return S3ObjectVersion(key: key, versionID: id)
            }
            let truncated = page.value("IsTruncated") == "true"
            keyMarker = truncated ? page.value("NextKeyMarker") : nil
            versionMarker = truncated ? page.value("NextVersionIdMarker") : nil
        } while keyMarker != nil
        return versions
    }
}
