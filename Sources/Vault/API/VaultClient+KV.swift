import Foundation
import SprocketCore

extension VaultClient {
    /// Reads a KV v2 secret. `GET /v1/:mount/data/:path[?version=N]`.
    ///
    /// - Parameter version: A specific version; nil for the latest.
    /// - Throws: ``VaultClientError/notFound(method:path:)`` when there is no such secret or version,
    ///   ``VaultClientError/secretVersionDeleted(path:version:destroyed:)`` when it was deleted or destroyed,
    ///   ``VaultClientError/permissionDenied(method:path:messages:)`` when the token may not read it.
    public func readSecret(at secret: VaultKVPath, version: Int? = nil) async throws -> VaultKVSecret {
        var request = VaultRequest(method: "GET", path: secret.dataPath)
        if let version { request.query = [("version", "\(version)")] }
        let response = try await sendRaw(request)
        if response.status == 404 {
            // A deleted or destroyed version answers 404 with the normal envelope: data null, metadata present.
            struct Deleted: Decodable { struct Inner: Decodable { var metadata: VaultKVVersionMetadata? }; var data: Inner? }
            if let metadata = (try? JSONDecoder().decode(Deleted.self, from: response.body))?.data?.metadata {
                throw VaultClientError.secretVersionDeleted(
                    path: secret.dataPath, version: metadata.version, destroyed: metadata.destroyed)
            }
        }
        guard response.status < 400 else {
            throw Self.error(status: response.status, body: response.body, method: "GET", path: secret.dataPath)
        }
        let envelope = try Self.decode(VaultEnvelope<VaultKVSecret>.self, from: response.body, path: secret.dataPath)
        guard let data = envelope.data else {
            throw VaultClientError.decoding(path: secret.dataPath, detail: "the answer has no data")
        }
        return data
    }

    /// Reads a KV v2 secret, or nil when it does not exist or its latest version is deleted.
    public func secretIfPresent(at secret: VaultKVPath, version: Int? = nil) async throws -> VaultKVSecret? {
        do {
            return try await readSecret(at: secret, version: version)
        } catch let error as VaultClientError where error.isNotFound {
            return nil
        }
    }

    /// Writes a new version of a KV v2 secret. `POST /v1/:mount/data/:path`.
    ///
    /// - Parameter cas: Check-and-set: write only if the current version is this one (0: only if absent).
    /// - Returns: The new version's metadata.
    /// - Throws: ``VaultClientError/invalidCAS(path:message:)`` when `cas` does not match (or is required).
    @discardableResult
    public func writeSecret(_ data: VaultSecretData, at secret: VaultKVPath, cas: Int? = nil) async throws
        -> VaultKVVersionMetadata
    {
        struct Options: Encodable { var cas: Int }
        struct Body: Encodable {
            var data: VaultSecretData
            var options: Options?
        }
        let request = try VaultRequest.json("POST", secret.dataPath, body: Body(data: data, options: cas.map(Options.init)))
        let envelope = try await sendEnvelope(VaultKVVersionMetadata.self, request)
        guard let metadata = envelope.data else {
            throw VaultClientError.decoding(path: secret.dataPath, detail: "the answer has no version metadata")
        }
        return metadata
    }

    /// The keys under a folder (a trailing `/` marks sub-folders); empty when there are none.
    /// `GET /v1/:mount/metadata/:path?list=true`.
    public func listSecrets(at folder: VaultKVPath) async throws -> [String] {
        let path = folder.metadataPath + "/"
        let request = VaultRequest(method: "GET", path: path, query: [("list", "true")])
        let response = try await sendRaw(request)
        struct Keys: Decodable, Sendable { var keys: [String]? }
        struct Errors: Decodable { var errors: [String]? }
        // An empty LIST is a 404 with `{"errors":[]}`; a 404 with messages is a real "no such route".
        if response.status == 404, (try? JSONDecoder().decode(Errors.self, from: response.body))?.errors?.isEmpty ?? true {
            return []
        }
        guard response.status < 400 else {
            throw Self.error(status: response.status, body: response.body, method: "LIST", path: path)
        }
        return try Self.decode(VaultEnvelope<Keys>.self, from: response.body, path: path).data?.keys ?? []
    }

    /// Soft-deletes the latest version (undelete restores it). `DELETE /v1/:mount/data/:path`, 204.
    public func deleteLatestVersion(at secret: VaultKVPath) async throws {
        try await send(VaultRequest(method: "DELETE", path: secret.dataPath))
    }

    /// Soft-deletes the given versions. `POST /v1/:mount/delete/:path`, 204.
    public func deleteVersions(_ versions: [Int], at secret: VaultKVPath) async throws {
        try await send(try VaultRequest.json("POST", secret.deletePath, body: ["versions": versions]))
    }

    /// Restores soft-deleted versions. `POST /v1/:mount/undelete/:path`, 204.
    public func undeleteVersions(_ versions: [Int], at secret: VaultKVPath) async throws {
        try await send(try VaultRequest.json("POST", secret.undeletePath, body: ["versions": versions]))
    }

    /// Destroys versions for good. `PUT /v1/:mount/destroy/:path`, 204.
    public func destroyVersions(_ versions: [Int], at secret: VaultKVPath) async throws {
        try await send(try VaultRequest.json("PUT", secret.destroyPath, body: ["versions": versions]))
    }

    /// All versions and settings of a secret. `GET /v1/:mount/metadata/:path`.
    public func readMetadata(at secret: VaultKVPath) async throws -> VaultKVMetadata {
        let envelope = try await sendEnvelope(VaultKVMetadata.self, VaultRequest(method: "GET", path: secret.metadataPath))
        guard let metadata = envelope.data else {
            throw VaultClientError.decoding(path: secret.metadataPath, detail: "the answer has no data")
        }
        return metadata
    }

    /// Sets a secret's own settings. `POST /v1/:mount/metadata/:path`, 204.
    public func writeMetadata(
        at secret: VaultKVPath, maxVersions: Int? = nil, casRequired: Bool? = nil,
        customMetadata: [String: String]? = nil
    ) async throws {
        struct Body: Encodable {
            var max_versions: Int?
            var cas_required: Bool?
            var custom_metadata: [String: String]?
        }
        let body = Body(max_versions: maxVersions, cas_required: casRequired, custom_metadata: customMetadata)
        try await send(try VaultRequest.json("POST", secret.metadataPath, body: body))
    }

    /// Deletes a secret's metadata and every version, for good. `DELETE /v1/:mount/metadata/:path`, 204.
    public func deleteMetadata(at secret: VaultKVPath) async throws {
        try await send(VaultRequest(method: "DELETE", path: secret.metadataPath))
    }

    /// Sets a KV v2 engine's settings. `POST /v1/:mount/config`, 204.
    public func configureKV(mount: String, maxVersions: Int? = nil, casRequired: Bool? = nil) async throws {
        struct Body: Encodable {
            var max_versions: Int?
            var cas_required: Bool?
        }
        let body = Body(max_versions: maxVersions, cas_required: casRequired)
        try await send(try VaultRequest.json("POST", "\(mount.trimmingSlashes)/config", body: body))
    }

    /// A KV v2 engine's settings. `GET /v1/:mount/config`.
    public func readKVConfig(mount: String) async throws -> VaultKVConfig {
        let path = "\(mount.trimmingSlashes)/config"
        let envelope = try await sendEnvelope(VaultKVConfig.self, VaultRequest(method: "GET", path: path))
        guard let config = envelope.data else { throw VaultClientError.decoding(path: path, detail: "no data") }
        return config
    }
}
