import AsyncHTTPClient
import Foundation
import NIOCore

extension DockerClient {
    /// How long a live event stream may stay open before the client gives up on it (a safety net: callers cancel
    /// the stream as soon as they are done, long before this).
    static let eventStreamLifetime: Duration = .seconds(6 * 3_600)

    /// Follows the daemon's event stream live, from now on, until the returned stream is cancelled or the daemon
    /// closes the connection.
    ///
    /// Maps to `GET /events?filters=…` without `until`: Docker keeps the response open and writes one JSON document
    /// per event. Swarm-scoped events (`service`, `node`, `secret`, `config`) come from the managers; container
    /// events only from the daemon the client talks to, so on a multi-node cluster they cover local tasks only.
    ///
    /// - Parameter filters: e.g. `["type": ["service", "container"]]`.
    /// - Returns: A stream that finishes with the transport error (``DockerClientError``) when the connection
    ///   breaks, e.g. because dockerd stopped.
    public func eventStream(filters: DockerFilters = DockerFilters()) -> AsyncThrowingStream<SystemEvent, any Error> {
        let request = DockerRequest(.GET, "/events", query: filters.queryItems, timeout: Self.eventStreamLifetime)
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: SystemEvent.self)
        let reader = Task {
            do {
                try await perform(request) { response, _, path in
                    var splitter = JSONLineSplitter()
                    for try await chunk in response.body {
                        for line in splitter.feed(chunk.readableBytesView) {
                            continuation.yield(try DockerJSON.decode(SystemEvent.self, from: ByteBuffer(bytes: line), path: path))
                        }
                    }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in reader.cancel() }
        return stream
    }
}
