import AsyncHTTPClient
import Foundation

/// A raw GET for looking at an emulator's bytes, status and headers exactly as sent.
struct RawReply {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: String

    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The body parsed as JSON, for comparisons by meaning.
    var json: NSObject? { try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed]) as? NSObject }
}

func fetch(_ url: String) async throws -> RawReply {
    let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
    let body = try await response.body.collect(upTo: 32 << 20)
    return RawReply(
        status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
        body: String(buffer: body))
}

/// JSON text parsed for comparison by meaning (key order and whitespace ignored).
func parsedJSON(_ text: String) throws -> NSObject? {
    try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) as? NSObject
}
