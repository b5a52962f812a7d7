/// A DNS message (RFC 1035 §4.1): header, question and the three record sections.
///
/// Encode with ``encode()``, decode with ``init(decoding:)``; both handle name compression pointers.
public struct DNSMessage: Sendable, Equatable {
    /// The transaction ID a response must echo.
    public var id: UInt16
    /// QR: true for a response.
    public var isResponse: Bool
    /// OPCODE (0 = standard query).
    public var opcode: UInt8
    /// AA: the answer comes from an authoritative server.
    public var isAuthoritative: Bool
    /// TC: the message was truncated to fit a UDP datagram; ask again over TCP.
    public var isTruncated: Bool
    /// RD: ask the server to resolve recursively.
    public var recursionDesired: Bool
    /// RA: the server offers recursion.
    public var recursionAvailable: Bool
    /// RCODE.
    public var responseCode: DNSResponseCode
    public var questions: [DNSQuestion]
    public var answers: [DNSResourceRecord]
    public var authorities: [DNSResourceRecord]
    public var additionals: [DNSResourceRecord]

    public init(
        id: UInt16, isResponse: Bool = false, opcode: UInt8 = 0, isAuthoritative: Bool = false,
        isTruncated: Bool = false, recursionDesired: Bool = true, recursionAvailable: Bool = false,
        responseCode: DNSResponseCode = .noError, questions: [DNSQuestion] = [],
        answers: [DNSResourceRecord] = [], authorities: [DNSResourceRecord] = [],
        additionals: [DNSResourceRecord] = []
    ) {
        self.id = id
        self.isResponse = isResponse
        self.opcode = opcode
        self.isAuthoritative = isAuthoritative
        self.isTruncated = isTruncated
        self.recursionDesired = recursionDesired
        self.recursionAvailable = recursionAvailable
        self.responseCode = responseCode
        self.questions = questions
        self.answers = answers
        self.authorities = authorities
        self.additionals = additionals
    }

    /// A standard recursive query for one name and type.
    public static func query(id: UInt16, name: String, type: DNSRecordType) -> DNSMessage {
        DNSMessage(id: id, questions: [DNSQuestion(name: name, type: type)])
    }

    /// The 16-bit flags word of the header.
    var flagsWord: UInt16 {
        var word: UInt16 = 0
        if isResponse { word |= 0x8000 }
        word |= UInt16(opcode & 0x0F) << 11
        if isAuthoritative { word |= 0x0400 }
        if isTruncated { word |= 0x0200 }
        if recursionDesired { word |= 0x0100 }
        if recursionAvailable { word |= 0x0080 }
        word |= UInt16(responseCode.rawValue)
        return word
    }
}

/// One entry of the question section.
public struct DNSQuestion: Sendable, Equatable {
    /// The name asked about, without the trailing dot.
    public var name: String
    public var type: DNSRecordType
    /// QCLASS; 1 (IN) for everything this module asks.
    public var recordClass: UInt16

    public init(name: String, type: DNSRecordType, recordClass: UInt16 = 1) {
        self.name = name
        self.type = type
        self.recordClass = recordClass
    }
}

/// One resource record of an answer, authority or additional section.
public struct DNSResourceRecord: Sendable, Equatable {
    /// The owner name, without the trailing dot.
    public var name: String
    public var recordClass: UInt16
    public var ttl: UInt32
    public var data: DNSRecordData

    public init(name: String, ttl: UInt32 = 300, recordClass: UInt16 = 1, data: DNSRecordData) {
        self.name = name
        self.recordClass = recordClass
        self.ttl = ttl
        self.data = data
    }

    /// The record's TYPE, derived from its data.
    public var type: DNSRecordType { data.type }
}

/// Decoded RDATA for the types this module needs; everything else is kept as raw bytes.
public enum DNSRecordData: Sendable, Equatable {
    case a(IPAddress)
    case aaaa(IPAddress)
    case cname(String)
    case caa(CAARecord)
    /// Any other type, RDATA kept verbatim (names inside it are not decompressed).
    case other(type: DNSRecordType, bytes: [UInt8])

    public var type: DNSRecordType {
        switch self {
        case .a: .a
        case .aaaa: .aaaa
        case .cname: .cname
        case .caa: .caa
        case .other(let type, _): type
        }
    }
}
