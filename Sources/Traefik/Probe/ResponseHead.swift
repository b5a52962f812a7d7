import NIOCore
import SprocketCore

/// The parts of an HTTP/1.1 response head a probe reports: the status and a redirect's `Location`.
struct ResponseHead: Sendable, Equatable {
    var status: Int
    var location: String?

    /// Parses the head once `buffer` holds all of it (through the blank line); nil while incomplete.
    init?(parsing buffer: ByteBuffer) {
        let text = String(buffer: buffer)
        guard let end = text.range(of: "\r\n\r\n") else { return nil }
        let lines = text[..<end.lowerBound].split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusParts = lines.first?.split(separator: " ", maxSplits: 2) ?? []
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/"), let status = Int(statusParts[1]) else {
            return nil
        }
        self.status = status
        location = lines.dropFirst().lazy.compactMap { line -> String? in
            guard let colon = line.firstIndex(of: ":"),
                line[..<colon].lowercased() == "location" else { return nil }
            return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }.first
    }
}

/// Why a probe got no usable response.
enum ProbeError: Error, CustomStringConvertible {
    case closedBeforeResponse
    case headTooLarge
    case timedOut(Duration)

    var description: String {
        switch self {
        case .closedBeforeResponse: "the connection closed before a response arrived"
        case .headTooLarge: "the response head is larger than 64 KiB"
        case .timedOut(let limit): "no response within \(limit.goStyle)"
        }
    }
}
