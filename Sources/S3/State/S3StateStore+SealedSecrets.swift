import SprocketCore

extension S3StateStore {
    /// `<prefix>/<stack>/<env>/secrets.sealed`: the stack environment's sealed secret store, as the local file holds
    /// it (every value AES-GCM-sealed under the operators' key; S3 never sees a value or the key).
    var sealedSecretsKey: String { "\(base)/secrets.sealed" }

    /// The shared sealed store and its entity tag, or nil when none was shared yet.
    public func sealedSecrets() async throws -> S3Object? {
        try await S3Error.translating { try await client.getObject(bucket, sealedSecretsKey) }
    }

    /// Shares `bytes` as the sealed store if S3 still holds the version read (`replacing`; nil: none yet), so two
    /// machines never overwrite each other's generated values.
    /// - Returns: The new entity tag.
    /// - Throws: ``SprocketError`` (`conflict`) when another machine wrote it meanwhile.
    @discardableResult
    public func saveSealedSecrets(_ bytes: [UInt8], replacing etag: String?) async throws -> String {
        do {
            return try await client.putObject(
                bucket, sealedSecretsKey, body: bytes, contentType: "application/json", condition: etag.map { .ifMatch($0) } ?? .ifAbsent)
        } catch let error as S3Error where error.kind == .preconditionFailed {
            throw SprocketError(
                .conflict, "another machine changed the shared sealed secret store while this command ran",
                subject: "s3://\(bucket)/\(sealedSecretsKey)",
                hint: "run the command again: it reads the shared store first (nothing of the other machine's was overwritten)")
        } catch let error as S3Error {
            throw SprocketError(.stateIO, "sharing the sealed secret store failed: \(error.message)", subject: "s3://\(bucket)/\(sealedSecretsKey)",
                                hint: error.hint)
        }
    }
}
