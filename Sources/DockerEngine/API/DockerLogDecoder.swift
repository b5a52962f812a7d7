/// One line of container or service output.
public struct LogLine: Sendable, Equatable {
    /// Which stream a line came from.
    public enum Stream: String, Sendable, Equatable {
        /// Standard input (echoed only when the container was attached).
        case stdin
        /// Standard output, and all TTY output.
        case stdout
        /// Standard error.
        case stderr
    }

    /// The stream; TTY (raw) output is always reported as stdout.
    public var stream: Stream
    /// The RFC 3339 timestamp Docker prefixed, when timestamps were requested.
    public var timestamp: String?
    /// The line without its newline (and without a TTY's trailing carriage return).
    public var text: String

    /// Creates a log line.
    public init(stream: Stream, timestamp: String? = nil, text: String) {
        self.stream = stream
        self.timestamp = timestamp
        self.text = text
    }
}

/// Turns Docker's log byte stream into lines, chunk by chunk.
///
/// Without a TTY Docker multiplexes stdout and stderr in frames: an 8-byte header (stream byte, three zero bytes,
/// big-endian UInt32 length) followed by the payload. With a TTY the stream is raw bytes. Frames and lines may be
/// split across network chunks at any byte, so partial headers, payloads and lines are kept between calls.
public struct DockerLogDecoder: Sendable {
    /// How the stream is framed.
    public enum Framing: Sendable, Equatable {
        /// Decide from the first bytes: a multiplexed stream starts with a stream byte 0-3 and three zeros.
        case automatic
        /// 8-byte-header frames (containers without TTY).
        case multiplexed
        /// Plain bytes (containers with TTY).
        case raw
    }

    private var framing: Framing
    private let hasTimestamps: Bool
    private var pending: [UInt8] = []
    private var partialLines: [LogLine.Stream: [UInt8]] = [:]
    /// Stream order of partial lines, so `finish()` flushes them deterministically.
    private var partialOrder: [LogLine.Stream] = []
    private var systemError: [UInt8] = []

    /// Creates a decoder.
    ///
    /// - Parameters:
    ///   - framing: How the stream is framed; `.automatic` suits Docker's logs endpoints, which (on API 1.41)
    ///     do not say in a header.
    ///   - timestamps: Whether each line starts with a timestamp and a space (`timestamps=true`).
    public init(framing: Framing = .automatic, timestamps: Bool = false) {
        self.framing = framing
        self.hasTimestamps = timestamps
    }

    /// Feeds the next chunk and returns the lines it completed.
    ///
    /// - Throws: ``DockerClientError/streamError(path:message:)`` when the daemon sent an error frame (stream 3).
    public mutating func feed(_ chunk: some Sequence<UInt8>) throws -> [LogLine] {
        pending.append(contentsOf: chunk)
        if framing == .automatic {
            guard pending.count >= 8 else { return [] }
            framing = Self.looksMultiplexed(pending) ? .multiplexed : .raw
        }
        var lines: [LogLine] = []
        if framing == .raw {
            append(pending[...], to: .stdout, into: &lines)
            pending.removeAll(keepingCapacity: true)
            return lines
        }
        var offset = 0
        while pending.count - offset >= 8 {
            let header = pending[offset..<offset + 8]
            let size = header.dropFirst(4).reduce(0) { ($0 << 8) | Int($1) }
            guard pending.count - offset - 8 >= size else { break }
            let payload = pending[(offset + 8)..<(offset + 8 + size)]
            switch header[header.startIndex] {
            case 0: append(payload, to: .stdin, into: &lines)
            case 2: append(payload, to: .stderr, into: &lines)
            case 3: systemError.append(contentsOf: payload)
            default: append(payload, to: .stdout, into: &lines)
            }
            offset += 8 + size
        }
        pending.removeFirst(offset)
        try throwSystemErrorIfAny()
        return lines
    }

    /// Ends the stream and returns any last line that had no trailing newline.
    public mutating func finish() throws -> [LogLine] {
        var lines: [LogLine] = []
        if !pending.isEmpty, framing != .multiplexed {
            // Fewer than 8 bytes in total can only be raw output.
            append(pending[...], to: .stdout, into: &lines)
            pending.removeAll()
        }
        for stream in partialOrder {
            if let rest = partialLines[stream], !rest.isEmpty {
                lines.append(makeLine(rest[...], stream: stream))
            }
        }
        partialLines.removeAll()
        partialOrder.removeAll()
        try throwSystemErrorIfAny()
        return lines
    }

    static func looksMultiplexed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 4 && bytes[0] <= 3 && bytes[1] == 0 && bytes[2] == 0 && bytes[3] == 0
    }

    private mutating func append(_ bytes: ArraySlice<UInt8>, to stream: LogLine.Stream, into lines: inout [LogLine]) {
        var buffer = partialLines[stream] ?? []
        if !partialOrder.contains(stream) { partialOrder.append(stream) }
        var lineStart = bytes.startIndex
        for index in bytes.indices where bytes[index] == UInt8(ascii: "\n") {
            buffer.append(contentsOf: bytes[lineStart..<index])
            lines.append(makeLine(buffer[...], stream: stream))
            buffer.removeAll(keepingCapacity: true)
            lineStart = bytes.index(after: index)
        }
        buffer.append(contentsOf: bytes[lineStart...])
        partialLines[stream] = buffer
    }

    private func makeLine(_ bytes: ArraySlice<UInt8>, stream: LogLine.Stream) -> LogLine {
        var content = bytes
        // A TTY turns "\n" into "\r\n".
        if content.last == UInt8(ascii: "\r") { content = content.dropLast() }
        var text = String(decoding: content, as: UTF8.self)
        var timestamp: String?
        if hasTimestamps, let space = text.firstIndex(of: " "), Self.isTimestamp(text[..<space]) {
            timestamp = String(text[..<space])
            text = String(text[text.index(after: space)...])
        } else if hasTimestamps, Self.isTimestamp(text[...]) {
            // An empty line still carries its timestamp.
            timestamp = text
            text = ""
        }
        return LogLine(stream: stream, timestamp: timestamp, text: text)
    }

    /// RFC 3339 as Docker writes it: `2026-11-29T00:09:42.107673061Z` (or with a numeric offset).
    private static func isTimestamp(_ text: Substring) -> Bool {
        text.count >= 20 && text.first?.isNumber == true && text.dropFirst(10).first == "T"
    }

    private mutating func throwSystemErrorIfAny() throws {
        guard !systemError.isEmpty else { return }
        let message = String(decoding: systemError, as: UTF8.self).trimmingWhitespace()
        systemError.removeAll()
        throw DockerClientError.streamError(path: "logs", message: message)
    }
}
