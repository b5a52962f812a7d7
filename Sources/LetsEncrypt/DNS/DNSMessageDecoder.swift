/// Parses DNS wire format (RFC 1035 §4.1) with bounds checks everywhere: a hostile or truncated packet gives a
/// ``DNSMessageFormatError``, never a crash or a loop.
struct DNSMessageDecoder {
    /// The most compression pointers one name may follow; more means a pointer loop.
    static let maximumPointerJumps = 64

    let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func decodeMessage() throws(DNSMessageFormatError) -> DNSMessage {
        let id = try readUInt16()
        let flags = try readUInt16()
        let counts = [try readUInt16(), try readUInt16(), try readUInt16(), try readUInt16()].map(Int.init)
        var message = DNSMessage(
            id: id, isResponse: flags & 0x8000 != 0, opcode: UInt8((flags >> 11) & 0x0F),
            isAuthoritative: flags & 0x0400 != 0, isTruncated: flags & 0x0200 != 0,
            recursionDesired: flags & 0x0100 != 0, recursionAvailable: flags & 0x0080 != 0,
            responseCode: DNSResponseCode(rawValue: UInt8(flags & 0x000F)))
        for _ in 0..<counts[0] {
            let name = try readName()
            let type = DNSRecordType(rawValue: try readUInt16())
            message.questions.append(DNSQuestion(name: name, type: type, recordClass: try readUInt16()))
        }
        message.answers = try readRecords(counts[1])
        message.authorities = try readRecords(counts[2])
        message.additionals = try readRecords(counts[3])
        return message
    }

    private mutating func readRecords(_ count: Int) throws(DNSMessageFormatError) -> [DNSResourceRecord] {
        var records: [DNSResourceRecord] = []
        for _ in 0..<count {
            let name = try readName()
            let type = DNSRecordType(rawValue: try readUInt16())
            let recordClass = try readUInt16()
            let ttl = try readUInt32()
            let length = Int(try readUInt16())
            let start = offset
            guard start + length <= bytes.count else {
                throw DNSMessageFormatError("RDATA of \(name) runs past the end of the message", offset: start)
            }
            let data = try readRecordData(type: type, length: length, owner: name)
            offset = start + length
            records.append(DNSResourceRecord(name: name, ttl: ttl, recordClass: recordClass, data: data))
        }
        return records
    }

    private mutating func readRecordData(type: DNSRecordType, length: Int, owner: String)
        throws(DNSMessageFormatError) -> DNSRecordData
    {
        let start = offset
        let raw = Array(bytes[start..<start + length])
        switch type {
        case .a, .aaaa:
            let expected = type == .a ? 4 : 16
            guard length == expected, let address = IPAddress(bytes: raw) else {
                throw DNSMessageFormatError(
                    "\(type) record of \(owner) has \(length) bytes of data, expected \(expected)", offset: start)
            }
            return type == .a ? .a(address) : .aaaa(address)
        case .cname:
            let target = try readName()
            guard offset <= start + length else {
                throw DNSMessageFormatError("CNAME target of \(owner) overruns its RDATA", offset: start)
            }
            return .cname(target)
        case .caa:
            guard length >= 2, Int(raw[1]) >= 1, 2 + Int(raw[1]) <= length else {
                throw DNSMessageFormatError("CAA record of \(owner) has a bad tag length", offset: start)
            }
            let tagEnd = 2 + Int(raw[1])
            let tag = String(decoding: raw[2..<tagEnd], as: UTF8.self)
            let value = String(decoding: raw[tagEnd...], as: UTF8.self)
            return .caa(CAARecord(flags: raw[0], tag: tag, value: value))
        default:
            return .other(type: type, bytes: raw)
        }
    }

    /// Reads a possibly compressed name and leaves `offset` just past its in-place part.
    mutating func readName() throws(DNSMessageFormatError) -> String {
        var labels: [String] = []
        var position = offset
        var resumeOffset: Int?
        var jumps = 0
        var wireLength = 1
        while true {
            guard position < bytes.count else {
                throw DNSMessageFormatError("name runs past the end of the message", offset: position)
            }
            let length = Int(bytes[position])
            switch length & 0xC0 {
            case 0xC0:
                guard position + 1 < bytes.count else {
                    throw DNSMessageFormatError("compression pointer cut short", offset: position)
                }
                let target = (length & 0x3F) << 8 | Int(bytes[position + 1])
                jumps += 1
                guard jumps <= Self.maximumPointerJumps, target < position else {
                    throw DNSMessageFormatError("compression pointer loop or forward pointer to \(target)", offset: position)
                }
                if resumeOffset == nil { resumeOffset = position + 2 }
                position = target
            case 0x00:
                if length == 0 {
                    offset = resumeOffset ?? position + 1
                    return labels.joined(separator: ".").lowercased()
                }
                guard position + 1 + length <= bytes.count else {
                    throw DNSMessageFormatError("label runs past the end of the message", offset: position)
                }
                wireLength += length + 1
                guard wireLength <= DNSName.maximumWireLength else {
                    throw DNSMessageFormatError("name longer than 255 bytes", offset: position)
                }
                labels.append(String(decoding: bytes[position + 1...position + length], as: UTF8.self))
                position += 1 + length
            default:
                throw DNSMessageFormatError("unsupported label type 0x\(String(length, radix: 16))", offset: position)
            }
        }
    }

    private mutating func readUInt16() throws(DNSMessageFormatError) -> UInt16 {
        guard offset + 2 <= bytes.count else {
            throw DNSMessageFormatError("message ends early (\(bytes.count) bytes)", offset: offset)
        }
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    private mutating func readUInt32() throws(DNSMessageFormatError) -> UInt32 {
        UInt32(try readUInt16()) << 16 | UInt32(try readUInt16())
    }
}

extension DNSMessage {
    /// Parses a message from DNS wire format.
    /// - Throws: ``DNSMessageFormatError`` naming the byte offset of the first problem.
    public init(decoding bytes: [UInt8]) throws(DNSMessageFormatError) {
        var decoder = DNSMessageDecoder(bytes)
        self = try decoder.decodeMessage()
    }
}
