import SprocketCore

/// One answer of the secrets download endpoint, decoded.
public struct DopplerDownload: Sendable {
    /// Secret name (after any name transformer) → value. Includes Doppler's injected `DOPPLER_PROJECT`,
    /// `DOPPLER_CONFIG` and `DOPPLER_ENVIRONMENT`.
    public var values: [String: DopplerSecretValue]
    /// The `ETag` Doppler sent with the values, if any.
    public var etag: String?
    /// True when Doppler answered 304 and ``values`` came from this client's memory.
    public var notModified: Bool
    /// Doppler's `x-request-id` for the last request (for support tickets; not secret).
    public var requestID: String?
    /// How many HTTP requests this download took (more than 1 after 429 or 5xx retries).
    public var attempts: Int

    /// Creates a download result.
    public init(
        values: [String: DopplerSecretValue], etag: String?, notModified: Bool, requestID: String?, attempts: Int
    ) {
        self.values = values
        self.etag = etag
        self.notModified = notModified
        self.requestID = requestID
        self.attempts = attempts
    }

    /// HMAC-SHA256 fingerprints of the values under the local key: comparable with the fingerprints of Vault and
    /// Docker hops, useless without the key.
    public func fingerprints(using key: SecretKey) -> [String: String] {
        values.mapValues { key.fingerprint($0.utf8Bytes) }
    }
}

/// The answer of ``DopplerClient/downloadIfChanged(nameTransformer:only:)``.
public enum DopplerChangeCheck: Sendable {
    /// Doppler answered 304 to the remembered ETag: nothing changed since the values were last downloaded. The
    /// fingerprints are those recorded then (from the cache file when this process has no values in memory).
    case unchanged(etag: String, fingerprints: [String: String])
    /// New values (or the first download).
    case changed(DopplerDownload)
}
