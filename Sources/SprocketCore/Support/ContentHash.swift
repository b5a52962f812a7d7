import Crypto
import Foundation

/// Content hashes used for naming immutable Docker objects and for spec hashes.
public enum ContentHash {
    /// Lower-case hex SHA-256 of `bytes`.
    public static func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
        hex(Array(SHA256.hash(data: Array(bytes))))
    }

    /// Lower-case hex of raw bytes.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The 12-hex suffix that names a config version. The stack and logical name are mixed in so that equal
    /// contents of unrelated configs do not share a visible hash, and a hash seen in one stack says nothing about
    /// another. Secrets are named by ``DockerSecretNaming`` with a keyed fingerprint instead: a plain hash of a
    /// secret lets anyone who sees the name test guesses of the value; this one only recognises their legacy names.
    public static func objectSuffix(stack: String, name: String, content: [UInt8]) -> String {
        var input = Array("sprocket-object-v1\u{0}\(stack)\u{0}\(name)\u{0}".utf8)
        input.append(contentsOf: content)
        return String(sha256Hex(input).prefix(12))
    }

    /// A stable hash of an `Encodable` value: SHA-256 over its JSON with sorted keys.
    public static func of(_ value: some Encodable) -> String {
        sha256Hex(CanonicalJSON.encode(value))
    }
}

/// JSON with sorted keys and no escaping of `/`: stable across runs, so hashes and diffs are deterministic.
public enum CanonicalJSON {
    public static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding our own plain value types cannot fail; an empty result would only change a hash.
        return (try? Array(encoder.encode(value))) ?? []
    }

    public static func prettyString(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
