import Crypto
import Foundation

/// AWS Signature Version 4 for S3 requests (header-based authentication).
///
/// Pure and deterministic: given the request parts, the time and the credentials it returns the
/// `Authorization` header. Every header passed in is signed.
public struct SigV4Signer: Sendable {
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    public var credentials: S3Credentials
    public var region: String
    public var service: String

    public init(credentials: S3Credentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// The parts of a request that are signed.
    public struct Request: Sendable {
        public var method: String
        /// The path as sent, already URI-encoded (`/test%24file.text`).
        public var encodedPath: String
        /// Query parameters, not encoded; `lifecycle` is written as `("lifecycle", "")`.
        public var query: [(name: String, value: String)]
        /// Headers to sign (including `host`, `x-amz-date` and `x-amz-content-sha256`).
        public var headers: [(name: String, value: String)]
        /// Hex SHA-256 of the body (or `UNSIGNED-PAYLOAD`).
        public var payloadHash: String

        public init(
            method: String, encodedPath: String, query: [(name: String, value: String)] = [],
            headers: [(name: String, value: String)], payloadHash: String
        ) {
            self.method = method
            self.encodedPath = encodedPath
            self.query = query
            self.headers = headers
            self.payloadHash = payloadHash
        }
    }

    /// The `Authorization` header value for `request` signed at `date`.
    public func authorization(for request: Request, at date: Date) -> String {
        let stamp = Self.amzDate(date)
        let day = String(stamp.prefix(8))
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let signed = Self.signedHeaders(request.headers)
        let stringToSign = [
            "AWS4-HMAC-SHA256", stamp, scope, Self.hex(SHA256.hash(data: Data(Self.canonicalRequest(request).utf8))),
        ].joined(separator: "\n")
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: signingKey(day: day)))
        return "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope),SignedHeaders=\(signed),Signature=\(signature)"
    }

    /// The canonical request: method, path, sorted encoded query, sorted lower-cased headers, signed header
    /// names and the payload hash, one per line.
    public static func canonicalRequest(_ request: Request) -> String {
        let pairs: [(name: String, value: String)] = request.query.map { pair in
            (encode(pair.name, keepSlash: false), encode(pair.value, keepSlash: false))
        }
        let sorted = pairs.sorted { left, right in left.name == right.name ? left.value < right.value : left.name < right.name }
        let query = sorted.map { pair in pair.name + "=" + pair.value }.joined(separator: "&")
        let headers = canonicalHeaders(request.headers).map { "\($0.name):\($0.value)\n" }.joined()
        return [request.method, request.encodedPath, query, headers, signedHeaders(request.headers), request.payloadHash]
            .joined(separator: "\n")
    }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC, the form of `x-amz-date`.
    public static func amzDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return String(format: "%04d", parts.year ?? 0) + two(parts.month) + two(parts.day) + "T"
            + two(parts.hour) + two(parts.minute) + two(parts.second) + "Z"
    }

    /// URI-encodes per SigV4: unreserved characters stay, everything else is `%XX` (upper-case hex);
    /// `/` stays only in paths.
    public static func encode(_ text: String, keepSlash: Bool) -> String {
        var result = ""
        for byte in text.utf8 {
            if unreservedBytes.contains(byte) || (keepSlash && byte == UInt8(ascii: "/")) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                result += String(format: "%%%02X", byte)
            }
        }
        return result
    }

    /// Letters, digits and `-._~`: the bytes SigV4 never percent-encodes.
    private static let unreservedBytes: Set<UInt8> = Set(
        Array(UInt8(ascii: "A")...UInt8(ascii: "Z")) + Array(UInt8(ascii: "a")...UInt8(ascii: "z"))
            + Array(UInt8(ascii: "0")...UInt8(ascii: "9")) + Array("-._~".utf8))

    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    public static func sha256Hex(_ data: some DataProtocol) -> String {
        hex(SHA256.hash(data: data))
    }

    private func signingKey(day: String) -> SymmetricKey {
        var key = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    private static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> [(name: String, value: String)] {
        var merged: [String: [String]] = [:]
        for header in headers {
            let value = header.value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            merged[header.name.lowercased(), default: []].append(value)
        }
        return merged.keys.sorted().map { ($0, merged[$0, default: []].joined(separator: ",")) }
    }

    private static func signedHeaders(_ headers: [(name: String, value: String)]) -> String {
        canonicalHeaders(headers).map(\.name).joined(separator: ";")
    }
}
