import AsyncHTTPClient
import Foundation
import NIOCore

extension DockerClient {
    /// Checks that the daemon answers and reads its API version.
    ///
    /// Maps to `GET /_ping` (unversioned, so it works before negotiation).
    ///
    /// - Returns: The facts from the response headers.
    /// - Throws: ``DockerClientError/daemonUnreachable(endpoint:reason:)`` when nothing answers.
    public func ping() async throws -> DockerPingResponse {
        var request = DockerRequest(.GET, "/_ping")
        request.isVersioned = false
        let response = try await send(request, maxBytes: 4_096)
        return DockerPingResponse(
            apiVersion: response.header("API-Version"),
            osType: response.header("OSType"),
            isExperimental: response.header("Docker-Experimental") == "true",
            swarm: response.header("Swarm")
        )
    }

    /// Reads the daemon's version details.
    ///
    /// Maps to `GET /version`.
    public func version() async throws -> SystemVersion {
        try await sendDecoding(SystemVersion.self, DockerRequest(.GET, "/version"))
    }

    /// Reads system-wide information, including swarm membership.
    ///
    /// Maps to `GET /info`.
    public func info() async throws -> SystemInfo {
        try await sendDecoding(SystemInfo.self, DockerRequest(.GET, "/info"))
    }

    /// Reads the events of a past (or partly future) time window.
    ///
    /// Maps to `GET /events?since=…&until=…&filters=…`. Because `until` is set, the daemon closes the stream at
    /// that time; if `until` lies in the future the call waits until then, and the default timeout grows by that
    /// wait.
    ///
    /// - Parameters:
    ///   - since: Start of the window.
    ///   - until: End of the window.
    ///   - filters: e.g. `["type": ["service"]]` or labels.
    ///   - limit: Most events returned; reading stops once reached.
    ///   - timeout: Overrides the deadline.
    /// - Returns: The events in the order the daemon sent them.
    public func events(
        since: Date, until: Date, filters: DockerFilters = DockerFilters(), limit: Int = 10_000,
        timeout: Duration? = nil
    ) async throws -> [SystemEvent] {
        let query = [("since", Self.unixTime(since)), ("until", Self.unixTime(until))] + filters.queryItems
        let wait = max(0, until.timeIntervalSinceNow)
        let request = DockerRequest(
            .GET, "/events", query: query,
            timeout: timeout ?? requestTimeout + .milliseconds(Int64(wait * 1_000))
        )
        return try await perform(request) { response, _, path in
            var splitter = JSONLineSplitter()
            var events: [SystemEvent] = []
            stream: for try await chunk in response.body {
                for line in splitter.feed(chunk.readableBytesView) {
                    events.append(try DockerJSON.decode(SystemEvent.self, from: ByteBuffer(bytes: line), path: path))
                    if events.count >= limit { break stream }
                }
            }
            if events.count < limit, let last = splitter.finish() {
                events.append(try DockerJSON.decode(SystemEvent.self, from: ByteBuffer(bytes: last), path: path))
            }
            return events
        }
    }

    /// Docker's timestamp parameter format: seconds, optionally with a nanosecond fraction.
    static func unixTime(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        let seconds = interval.rounded(.down)
        let nanos = min(999_999_999, Int64(((interval - seconds) * 1_000_000_000).rounded()))
        let padded = String(nanos).leftPadded(to: 9)
        return "\(Int64(seconds)).\(padded)"
    }
}

/// Splits a stream of newline-separated JSON documents (the events endpoint) into lines.
struct JSONLineSplitter {
    private var partial: [UInt8] = []

    mutating func feed(_ bytes: some Sequence<UInt8>) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if !partial.allSatisfy(Self.isWhitespace) { lines.append(partial) }
                partial.removeAll(keepingCapacity: true)
            } else {
                partial.append(byte)
            }
        }
        return lines
    }

    mutating func finish() -> [UInt8]? {
        defer { partial.removeAll() }
        return partial.allSatisfy(Self.isWhitespace) ? nil : partial
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t")
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
