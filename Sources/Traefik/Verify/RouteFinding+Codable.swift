extension RouteFinding {
    private enum CodingKeys: String, CodingKey {
        case kind, message, status, messages, expected, seen, orderOnly, service, servers, logLine, detail, acmeError, remedy
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(description, forKey: .message)
        switch self {
        case .missing, .unexpected:
            break
        case .dropped(let logLine):
            try container.encode(logLine, forKey: .logLine)
        case .probeFailed(let status, let detail):
            try container.encodeIfPresent(status, forKey: .status)
            try container.encode(detail, forKey: .detail)
        case .tlsProbeFailed(let detail, let acmeError, let remedy):
            try container.encode(detail, forKey: .detail)
            try container.encodeIfPresent(acmeError, forKey: .acmeError)
            try container.encodeIfPresent(remedy, forKey: .remedy)
        case .disabled(let status):
            try container.encode(status, forKey: .status)
        case .inError(let messages):
            try container.encode(messages, forKey: .messages)
        case .ruleMismatch(let expected, let seen):
            try container.encode(expected, forKey: .expected)
            try container.encode(seen, forKey: .seen)
        case .entryPointsMismatch(let expected, let seen):
            try container.encode(expected, forKey: .expected)
            try container.encode(seen, forKey: .seen)
        case .tlsMismatch(let expected, let seen):
            try container.encode(expected, forKey: .expected)
            try container.encode(seen, forKey: .seen)
        case .tlsResolverMismatch(let expected, let seen):
            try container.encode(expected, forKey: .expected)
            try container.encode(seen, forKey: .seen)
        case .middlewareMismatch(let expected, let seen, let orderOnly):
            try container.encode(expected, forKey: .expected)
            try container.encode(seen, forKey: .seen)
            try container.encode(orderOnly, forKey: .orderOnly)
        case .serviceMismatch(let expected, let seen):
            try container.encode(expected, forKey: .expected)
            try container.encode(seen, forKey: .seen)
        case .serviceMissing(let service), .noServers(let service):
            try container.encode(service, forKey: .service)
        case .serversDown(let service, let servers):
            try container.encode(service, forKey: .service)
            try container.encode(servers, forKey: .servers)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try container.decode(String.self, forKey: .kind)
        func text(_ key: CodingKeys) throws -> String { try container.decode(String.self, forKey: key) }
        func texts(_ key: CodingKeys) throws -> [String] { try container.decode([String].self, forKey: key) }
        func optionalText(_ key: CodingKeys) throws -> String? { try container.decodeIfPresent(String.self, forKey: key) }
        switch kind {
        case "missing": self = .missing
        case "dropped": self = .dropped(logLine: try text(.logLine))
        case "probeFailed":
            self = .probeFailed(status: try container.decodeIfPresent(Int.self, forKey: .status), detail: try text(.detail))
        case "tlsProbeFailed":
            self = .tlsProbeFailed(detail: try text(.detail), acmeError: try optionalText(.acmeError), remedy: try optionalText(.remedy))
        case "unexpected": self = .unexpected
        case "disabled": self = .disabled(status: try text(.status))
        case "inError": self = .inError(messages: try texts(.messages))
        case "ruleMismatch": self = .ruleMismatch(expected: try text(.expected), seen: try text(.seen))
        case "entryPointsMismatch": self = .entryPointsMismatch(expected: try texts(.expected), seen: try texts(.seen))
        case "tlsMismatch":
            self = .tlsMismatch(
                expected: try container.decode(Bool.self, forKey: .expected),
                seen: try container.decode(Bool.self, forKey: .seen))
        case "tlsResolverMismatch":
            self = .tlsResolverMismatch(expected: try optionalText(.expected), seen: try optionalText(.seen))
        case "middlewareMismatch":
            self = .middlewareMismatch(
                expected: try texts(.expected), seen: try texts(.seen),
                orderOnly: try container.decode(Bool.self, forKey: .orderOnly))
        case "serviceMismatch": self = .serviceMismatch(expected: try text(.expected), seen: try optionalText(.seen))
        case "serviceMissing": self = .serviceMissing(service: try text(.service))
        case "noServers": self = .noServers(service: try text(.service))
        case "serversDown": self = .serversDown(service: try text(.service), servers: try texts(.servers))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: container, debugDescription: "unknown route finding kind \(kind)")
        }
    }
}
