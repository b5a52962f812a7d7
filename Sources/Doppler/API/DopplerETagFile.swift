import Foundation
import SprocketCore

/// A small file that remembers, across runs, the last `ETag` of each download and HMAC-SHA256 fingerprints of the
/// values it carried, so a later run can ask Doppler "changed since?" and, on 304, know what it has without
/// keeping a single secret value on disk.
///
/// Format (JSON, mode 0600 although it holds no secret):
/// `{"version":1,"entries":{"<project>/<config>?…":{"etag":"…","fingerprints":{"NAME":"hmac-sha256:…"}}}}`.
/// The fingerprints are keyed by the local ``SecretKey``, the same key `secrets diff` uses for every hop.
public struct DopplerETagFile: Sendable {
    /// One remembered download.
    public struct Entry: Sendable, Codable, Equatable {
        /// The ETag Doppler sent.
        public var etag: String
        /// Name → `hmac-sha256:…` of the value.
        public var fingerprints: [String: String]

        /// Creates an entry.
        public init(etag: String, fingerprints: [String: String]) {
            self.etag = etag
            self.fingerprints = fingerprints
        }
    }

    private struct Contents: Codable {
        var version: Int
        var entries: [String: Entry]
    }

    /// Where the file lives.
    public let path: String
    /// The key the fingerprints are made with.
    public let key: SecretKey

    /// Names the file; nothing is read until needed.
    public init(path: String, key: SecretKey) {
        self.path = path
        self.key = key
    }

    /// The remembered entry for a request, or nil when there is none (or the file is unreadable, which only costs
    /// one full download).
    public func entry(for requestKey: String) -> Entry? {
        (try? load())?.entries[requestKey]
    }

    /// Records the ETag and the fingerprints of `values` for a request.
    ///
    /// - Throws: ``SprocketError`` when the file cannot be written.
    public func record(etag: String, values: [String: DopplerSecretValue], for requestKey: String) throws {
        var contents = (try? load()) ?? Contents(version: 1, entries: [:])
        contents.entries[requestKey] = Entry(etag: etag, fingerprints: values.mapValues { key.fingerprint($0.utf8Bytes) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try AtomicFile.write(Array(try encoder.encode(contents)) + [0x0A], to: path, permissions: 0o600)
    }

    private func load() throws -> Contents? {
        guard let bytes = try AtomicFile.read(path) else { return nil }
        let contents = try JSONDecoder().decode(Contents.self, from: Data(bytes))
        return contents.version == 1 ? contents : nil
    }
}
