extension DockerClient {
    /// Largest log output buffered by ``serviceLogs(_:tail:timestamps:timeout:)``.
    static let maxLogBytes = 32 << 20

    /// Reads the recent output of all of a service's tasks.
    ///
    /// Maps to `GET /services/{id}/logs?stdout=true&stderr=true&follow=false&tail=…&timestamps=…`. The stream is
    /// demultiplexed (or read raw for TTY services) and split into lines.
    ///
    /// - Parameters:
    ///   - id: The service's ID or name.
    ///   - tail: Lines per task from the end; nil for all.
    ///   - timestamps: Ask Docker to prefix each line with its timestamp (returned in ``LogLine/timestamp``).
    ///   - timeout: Overrides the deadline for this call.
    /// - Returns: The lines in the order the daemon sent them.
    /// - Throws: ``DockerClientError/responseTooLarge(method:path:limit:)`` beyond 32 MiB of output.
    public func serviceLogs(
        _ id: String, tail: Int? = nil, timestamps: Bool = false, timeout: Duration? = nil
    ) async throws -> [LogLine] {
        let query: [(String, String)] = [
            ("stdout", "true"), ("stderr", "true"), ("follow", "false"),
            ("tail", tail.map { String(max(0, $0)) } ?? "all"), ("timestamps", timestamps ? "true" : "false"),
        ]
        let request = DockerRequest(
            .GET, "/services/\(DockerRequest.segment(id))/logs", route: "/services/{id}/logs", query: query,
            timeout: timeout
        )
        return try await perform(request) { response, method, path in
            // API 1.42+ names the framing in Content-Type; older daemons send none, so fall back to sniffing.
            let framing: DockerLogDecoder.Framing =
                switch response.headers.first(name: "Content-Type") {
                case "application/vnd.docker.multiplexed-stream": .multiplexed
                case "application/vnd.docker.raw-stream": .raw
                default: .automatic
                }
            var decoder = DockerLogDecoder(framing: framing, timestamps: timestamps)
            var lines: [LogLine] = []
            var received = 0
            do {
                for try await chunk in response.body {
                    received += chunk.readableBytes
                    guard received <= Self.maxLogBytes else {
                        throw DockerClientError.responseTooLarge(method: method, path: path, limit: Self.maxLogBytes)
                    }
                    lines += try decoder.feed(chunk.readableBytesView)
                }
                lines += try decoder.finish()
            } catch DockerClientError.streamError(_, let message) {
                throw DockerClientError.streamError(path: path, message: message)
            }
            return lines
        }
    }
}
