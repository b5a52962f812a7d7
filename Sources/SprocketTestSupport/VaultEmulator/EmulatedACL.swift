/// An ACL policy in HCL, parsed to path rules: the subset `path "…" { capabilities = [...] }`, comments, and
/// other keys inside a path block (ignored).
struct EmulatedPolicy: Sendable, Equatable {
    struct Rule: Sendable, Equatable {
        var pattern: String
        var capabilities: Set<String>
    }

    static let knownCapabilities: Set<String> = ["create", "read", "update", "patch", "delete", "list", "sudo", "deny"]

    var rules: [Rule]

    /// Parses HCL; the error text is what the emulator sends back with 400.
    static func parse(_ text: String) -> Result<EmulatedPolicy, PolicyParseError> {
        var tokens = HCLTokenizer(text).tokens()[...]
        var rules: [Rule] = []
        while let token = tokens.popFirst() {
            guard token == .word("path"), case .string(let pattern)? = tokens.popFirst(), tokens.popFirst() == .open
            else { return .failure(PolicyParseError("failed to parse policy: expected path \"…\" { … }")) }
            var capabilities: Set<String> = []
            var depth = 1
            while depth > 0, let inner = tokens.popFirst() {
                switch inner {
                case .open: depth += 1
                case .close: depth -= 1
                case .word("capabilities") where depth == 1:
                    guard tokens.popFirst() == .equals, tokens.popFirst() == .listOpen else {
                        return .failure(PolicyParseError("failed to parse policy: path \"\(pattern)\": bad capabilities"))
                    }
                    while let item = tokens.popFirst(), item != .listClose {
                        if case .string(let capability) = item {
                            guard knownCapabilities.contains(capability) else {
                                return .failure(PolicyParseError(
                                    "failed to parse policy: path \"\(pattern)\": invalid capability \"\(capability)\""))
                            }
                            capabilities.insert(capability)
                        }
                    }
                default: continue
                }
            }
            guard depth == 0 else { return .failure(PolicyParseError("failed to parse policy: unclosed path block")) }
            let starIndex = pattern.firstIndex(of: "*")
            if let starIndex, starIndex != pattern.index(before: pattern.endIndex) {
                return .failure(PolicyParseError("failed to parse policy: path \"\(pattern)\": * is only allowed at the end"))
            }
            rules.append(Rule(pattern: pattern.hasPrefix("/") ? String(pattern.dropFirst()) : pattern,
                              capabilities: capabilities))
        }
        return .success(EmulatedPolicy(rules: rules))
    }
}

struct PolicyParseError: Error, Equatable {
    var message: String
    init(_ message: String) { self.message = message }
}

/// Decides what a set of policies allows on a path, as Vault's ACL does: rules for the same pattern are merged
/// across policies, the most specific matching pattern wins, and `deny` in it denies everything.
struct EmulatedACL: Sendable {
    private var merged: [String: Set<String>] = [:]
    private var isRoot = false

    init(policyNames: [String], texts: [String: String]) {
        if policyNames.contains("root") {
            isRoot = true
            return
        }
        for name in policyNames {
            guard let text = texts[name], case .success(let policy) = EmulatedPolicy.parse(text) else { continue }
            for rule in policy.rules { merged[rule.pattern, default: []].formUnion(rule.capabilities) }
        }
    }

    /// The capabilities granted on `path` (empty when denied or nothing matches).
    func capabilities(on path: String) -> Set<String> {
        if isRoot { return EmulatedPolicy.knownCapabilities.subtracting(["deny"]) }
        let matching = merged.keys.filter { Self.matches(pattern: $0, path: path) }
        guard let best = matching.max(by: Self.lowerPriority) else { return [] }
        let granted = merged[best] ?? []
        return granted.contains("deny") ? [] : granted
    }

    static func matches(pattern: String, path: String) -> Bool {
        let isGlob = pattern.hasSuffix("*")
        let body = isGlob ? String(pattern.dropLast()) : pattern
        let patternSegments = body.split(separator: "/", omittingEmptySubsequences: false)
        let pathSegments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard isGlob ? pathSegments.count >= patternSegments.count : pathSegments.count == patternSegments.count else {
            return false
        }
        for (index, segment) in patternSegments.enumerated() {
            let isLast = index == patternSegments.count - 1
            if segment == "+" { continue }
            if isGlob && isLast {
                if !pathSegments[index].hasPrefix(segment) { return false }
            } else if pathSegments[index] != segment {
                return false
            }
        }
        return true
    }

    /// Vault's priority order between two matching patterns: true when `lhs` ranks below `rhs`.
    static func lowerPriority(_ lhs: String, _ rhs: String) -> Bool {
        func firstWildcard(_ text: String) -> Int {
            let plus = text.firstIndex(of: "+").map { text.distance(from: text.startIndex, to: $0) } ?? Int.max
            let star = text.firstIndex(of: "*").map { text.distance(from: text.startIndex, to: $0) } ?? Int.max
            return min(plus, star)
        }
        func plusCount(_ text: String) -> Int { text.split(separator: "/").filter { $0 == "+" }.count }
        if firstWildcard(lhs) != firstWildcard(rhs) { return firstWildcard(lhs) < firstWildcard(rhs) }
        if lhs.hasSuffix("*") != rhs.hasSuffix("*") { return lhs.hasSuffix("*") }
        if plusCount(lhs) != plusCount(rhs) { return plusCount(lhs) > plusCount(rhs) }
        if lhs.count != rhs.count { return lhs.count < rhs.count }
        return lhs < rhs
    }
}

/// Splits HCL into the few tokens the policy subset needs.
struct HCLTokenizer {
    enum Token: Equatable {
        case word(String), string(String), open, close, listOpen, listClose, equals, comma
    }

    private let characters: [Character]

    init(_ text: String) { characters = Array(text) }

    func tokens() -> [Token] {
        var result: [Token] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            switch character {
            case "#":
                while index < characters.count, characters[index] != "\n" { index += 1 }
            case "/" where index + 1 < characters.count && characters[index + 1] == "/":
                while index < characters.count, characters[index] != "\n" { index += 1 }
            case "{": result.append(.open); index += 1
            case "}": result.append(.close); index += 1
            case "[": result.append(.listOpen); index += 1
            case "]": result.append(.listClose); index += 1
            case "=": result.append(.equals); index += 1
            case ",": result.append(.comma); index += 1
            case "\"":
                var text = ""
                index += 1
                while index < characters.count, characters[index] != "\"" {
                    if characters[index] == "\\", index + 1 < characters.count { index += 1 }
                    text.append(characters[index])
                    index += 1
                }
                index += 1
                result.append(.string(text))
            case _ where character.isWhitespace:
                index += 1
            default:
                var word = ""
                while index < characters.count, !characters[index].isWhitespace,
                    !"{}[]=,\"".contains(characters[index])
                {
                    word.append(characters[index])
                    index += 1
                }
                result.append(.word(word))
            }
        }
        return result
    }
}
