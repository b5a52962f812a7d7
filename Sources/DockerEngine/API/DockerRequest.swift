import AsyncHTTPClient
import Foundation
import NIOCore

/// The HTTP methods the Engine API uses. Our own type, because AHC's `HTTPMethod` lives in NIOHTTP1, which this
/// target does not depend on directly.
enum DockerHTTPMethod: String, Sendable {
    case GET, POST, PUT, DELETE
}

/// One Engine API call, described before it is sent.
struct DockerRequest: Sendable {
    /// GET, POST, …
    var method: DockerHTTPMethod
    /// The route template used for call statistics, e.g. `/services/{id}/update`.
    var route: String
    /// The concrete path without the version prefix, e.g. `/services/abc/update`.
    var path: String
    /// Query parameters in the order they are sent.
    var query: [(String, String)] = []
    /// A JSON (or other) body.
    var body: [UInt8]?
    /// Extra headers, e.g. `X-Registry-Auth`.
    var headers: [(String, String)] = []
    /// False only for `/_ping`, which must work before a version is known.
    var isVersioned = true
    /// Overrides the client's request timeout.
    var timeout: Duration?

    init(
        _ method: DockerHTTPMethod, _ path: String, route: String? = nil, query: [(String, String)] = [],
        timeout: Duration? = nil
    ) {
        self.method = method
        self.path = path
        self.route = route ?? path
        self.query = query
        self.timeout = timeout
    }

    /// Sets a JSON body and returns the request.
    func withJSONBody(_ value: some Encodable) throws -> DockerRequest {
        var copy = self
        copy.body = try DockerJSON.encode(value)
        copy.headers.append(("Content-Type", "application/json"))
        return copy
    }

    /// The request URI: version prefix, path and percent-encoded query.
    func uri(version: DockerAPIVersion?) -> String {
        let prefix = isVersioned ? (version?.pathPrefix ?? "") : ""
        guard !query.isEmpty else { return prefix + path }
        let encoded = query.map { "\(Self.percentEncode($0.0))=\(Self.percentEncode($0.1))" }
        return prefix + path + "?" + encoded.joined(separator: "&")
    }

    /// Encodes everything but RFC 3986 unreserved characters, so JSON filters survive intact.
    static func percentEncode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    /// Percent-encodes one path segment, such as a user-supplied object name.
    static func segment(_ text: String) -> String {
        percentEncode(text)
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
    )
}

/// The JSON coders used for every body, configured once.
enum DockerJSON {
    static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        // Sorted keys make request bodies deterministic, which keeps stub-server assertions and logs stable.
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return [UInt8](try encoder.encode(value))
    }

    static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer, path: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw DockerClientError.decoding(path: path, detail: describe(error))
        }
    }

    /// A one-line account of a decoding failure: where, and what was expected.
    static func describe(_ error: DecodingError) -> String {
        func at(_ path: [any CodingKey]) -> String {
            path.isEmpty
                ? "top level"
                : path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
                    .joined(separator: ".")
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "expected \(type) at \(at(context.codingPath)): \(context.debugDescription)"
        case .valueNotFound(let type, let context):
            return "missing \(type) value at \(at(context.codingPath))"
        case .keyNotFound(let key, let context):
            return "missing key \(key.stringValue) at \(at(context.codingPath))"
        case .dataCorrupted(let context):
            return "invalid JSON at \(at(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
