/// Serialises a ``DNSMessage`` to wire format, compressing repeated name suffixes with pointers (RFC 1035 §4.1.4).
struct DNSMessageEncoder {
    private(set) var bytes: [UInt8] = []
    /// Lowercased name suffix → offset where it was first written (only offsets a pointer can reach).
    private var suffixOffsets: [String: Int] = [:]

    mutating func encode(_ message: DNSMessage) throws(DNSMessageFormatError) -> [UInt8] {
        bytes.removeAll(keepingCapacity: true)
        suffixOffsets.removeAll()
        writeUInt16(message.id)
        writeUInt16(message.flagsWord)
        for count in [message.questions.count, message.answers.count, message.authorities.count,
                      message.additionals.count] {
            guard count <= Int(UInt16.max) else { throw DNSMessageFormatError("too many records: \(count)", offset: 4) }
            writeUInt16(UInt16(count))
        }
        for question in message.questions {
            try writeName(question.name)
            writeUInt16(question.type.rawValue)
            writeUInt16(question.recordClass)
        }
        for record in message.answers + message.authorities + message.additionals {
            try writeRecord(record)
        }
        return bytes
    }

    private mutating func writeRecord(_ record: DNSResourceRecord) throws(DNSMessageFormatError) {
        try writeName(record.name)
        writeUInt16(record.type.rawValue)
        writeUInt16(record.recordClass)
        writeUInt32(record.ttl)
        let lengthOffset = bytes.count
        writeUInt16(0)
        switch record.data {
        case .a(let address), .aaaa(let address):
            bytes += address.bytes
        case .cname(let target):
            try writeName(target)
        case .caa(let caa):
            let tag = Array(caa.tag.utf8)
            guard (1...255).contains(tag.count) else {
                throw DNSMessageFormatError("CAA tag must be 1 to 255 bytes: \"\(caa.tag)\"", offset: bytes.count)
            }
            bytes.append(caa.flags)
            bytes.append(UInt8(tag.count))
            bytes += tag
            bytes += Array(caa.value.utf8)
        case .other(_, let raw):
            bytes += raw
        }
        let length = bytes.count - lengthOffset - 2
        guard length <= Int(UInt16.max) else {
            throw DNSMessageFormatError("RDATA of \(record.name) is \(length) bytes", offset: lengthOffset)
        }
        bytes[lengthOffset] = UInt8(length >> 8)
        bytes[lengthOffset + 1] = UInt8(length & 0xFF)
    }

    private mutating func writeName(_ rawName: String) throws(DNSMessageFormatError) {
        let name = DNSName.normalize(rawName)
        if let problem = DNSName.problem(with: name) { throw DNSMessageFormatError(problem, offset: bytes.count) }
        let labels = DNSName.labels(of: name)
        for index in labels.indices {
            let suffix = labels[index...].joined(separator: ".")
            if let offset = suffixOffsets[suffix] {
                writeUInt16(0xC000 | UInt16(offset))
                return
            }
            if bytes.count < 0x4000 { suffixOffsets[suffix] = bytes.count }
            let label = Array(labels[index].utf8)
            bytes.append(UInt8(label.count))
            bytes += label
        }
        bytes.append(0)
    }

    private mutating func writeUInt16(_ value: UInt16) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xFF))
    }

    private mutating func writeUInt32(_ value: UInt32) {
        writeUInt16(UInt16(value >> 16))
        writeUInt16(UInt16(value & 0xFFFF))
    }
}

extension DNSMessage {
    /// The message in DNS wire format, names compressed.
    /// - Throws: ``DNSMessageFormatError`` for a name or CAA tag that cannot be encoded.
    public func encode() throws(DNSMessageFormatError) -> [UInt8] {
        var encoder = DNSMessageEncoder()
        return try encoder.encode(self)
    }
}
