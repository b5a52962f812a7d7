/// A DNS message that cannot be encoded or decoded: what is wrong and at which byte offset.
public struct DNSMessageFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    public var detail: String
    /// Byte offset into the message where the problem was found.
    public var offset: Int

    public init(_ detail: String, offset: Int) {
        self.detail = detail
        self.offset = offset
    }

    public var description: String { "\(detail) (at byte \(offset))" }
}
