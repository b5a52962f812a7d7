import Testing

@testable import DockerEngine

@Suite("Log stream demultiplexing")
struct DockerLogDecoderTests {
    /// One multiplexed frame: stream byte, three zeros, big-endian length, payload.
    static func frame(_ stream: UInt8, _ text: String) -> [UInt8] {
        let payload = Array(text.utf8)
        let size = UInt32(payload.count)
        return [
            stream, 0, 0, 0, UInt8(size >> 24), UInt8((size >> 16) & 0xFF), UInt8((size >> 8) & 0xFF),
            UInt8(size & 0xFF),
        ]
            + payload
    }

    static let stream: [UInt8] =
        frame(1, "hello\n") + frame(2, "oops: something\n") + frame(1, "partial ") + frame(1, "line\nnext\n")
        + frame(1, "no newline at end")

    static let expected: [LogLine] = [
        LogLine(stream: .stdout, text: "hello"),
        LogLine(stream: .stderr, text: "oops: something"),
        LogLine(stream: .stdout, text: "partial line"),
        LogLine(stream: .stdout, text: "next"),
        LogLine(stream: .stdout, text: "no newline at end"),
    ]

    static func decode(
        _ bytes: [UInt8], chunkSize: Int, framing: DockerLogDecoder.Framing = .automatic, timestamps: Bool = false
    )
        throws -> [LogLine]
    {
        var decoder = DockerLogDecoder(framing: framing, timestamps: timestamps)
        var lines: [LogLine] = []
        var index = 0
        while index < bytes.count {
            let end = min(bytes.count, index + chunkSize)
            lines += try decoder.feed(bytes[index..<end])
            index = end
        }
        return lines + (try decoder.finish())
    }

    @Test(
        "frames split at every possible chunk size decode to the same lines",
        arguments: [1, 2, 3, 5, 7, 8, 9, 13, 64, 4_096])
    func chunkBoundaries(chunkSize: Int) throws {
        #expect(try Self.decode(Self.stream, chunkSize: chunkSize) == Self.expected)
    }

    @Test("explicit multiplexed framing gives the same result")
    func explicitFraming() throws {
        #expect(try Self.decode(Self.stream, chunkSize: 3, framing: .multiplexed) == Self.expected)
    }

    @Test("TTY raw streams are split into stdout lines, dropping the carriage return")
    func rawStream() throws {
        let bytes = Array("first line\r\nsecond\r\nthird".utf8)
        for chunkSize in [1, 4, 100] {
            let lines = try Self.decode(bytes, chunkSize: chunkSize)
            #expect(lines.map(\.text) == ["first line", "second", "third"])
            #expect(lines.allSatisfy { $0.stream == .stdout })
        }
    }

    @Test("a raw stream shorter than a frame header is still returned")
    func tinyRawStream() throws {
        #expect(try Self.decode(Array("hi\n".utf8), chunkSize: 1).map(\.text) == ["hi"])
    }

    @Test("timestamps are split off each line")
    func timestamps() throws {
        let bytes =
            Self.frame(1, "2026-11-29T00:09:42.107711198Z hi there\n") + Self.frame(2, "2026-11-29T00:09:42.2Z err\n")
        let lines = try Self.decode(bytes, chunkSize: 5, timestamps: true)
        #expect(
            lines == [
                LogLine(stream: .stdout, timestamp: "2026-11-29T00:09:42.107711198Z", text: "hi there"),
                LogLine(stream: .stderr, timestamp: "2026-11-29T00:09:42.2Z", text: "err"),
            ]
        )
    }

    @Test("an error frame from the daemon becomes a stream error")
    func systemErrorFrame() {
        let bytes = Self.frame(1, "ok\n") + Self.frame(3, "log driver does not support reading\n")
        #expect {
            try Self.decode(bytes, chunkSize: 4)
        } throws: { error in
            guard case DockerClientError.streamError(_, let message) = error else { return false }
            return message == "log driver does not support reading"
        }
    }

    @Test("an empty stream yields no lines")
    func emptyStream() throws {
        #expect(try Self.decode([], chunkSize: 1).isEmpty)
    }
}
