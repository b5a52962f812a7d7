/// The HTTP matchers each Traefik version knows and how many values each takes (docs/wire-formats.md §3.3).
enum TraefikMatcherCatalog {
    /// A matcher's name and its accepted number of values (`maximum` nil: any number from `minimum`).
    struct Signature: Sendable, Hashable {
        var name: String
        var minimum: Int
        var maximum: Int?

        var arityDescription: String {
            guard let maximum else { return "at least \(minimum) value\(minimum == 1 ? "" : "s")" }
            if maximum == minimum { return "\(minimum) value\(minimum == 1 ? "" : "s")" }
            return "\(minimum) or \(maximum) values"
        }
    }

    /// v2.11: most matchers take several values (any of them matches).
    static let v2: [Signature] = [
        Signature(name: "Host", minimum: 1), Signature(name: "HostHeader", minimum: 1),
        Signature(name: "HostRegexp", minimum: 1), Signature(name: "Path", minimum: 1),
        Signature(name: "PathPrefix", minimum: 1), Signature(name: "Method", minimum: 1),
        Signature(name: "Headers", minimum: 2, maximum: 2), Signature(name: "HeadersRegexp", minimum: 2, maximum: 2),
        Signature(name: "Query", minimum: 1), Signature(name: "ClientIP", minimum: 1),
    ]

    /// v3: one value each, except the key/value matchers (`pkg/muxer/http/matcher.go`).
    static let v3: [Signature] = [
        Signature(name: "Host", minimum: 1, maximum: 1), Signature(name: "HostRegexp", minimum: 1, maximum: 1),
        Signature(name: "Path", minimum: 1, maximum: 1), Signature(name: "PathPrefix", minimum: 1, maximum: 1),
        Signature(name: "PathRegexp", minimum: 1, maximum: 1), Signature(name: "Method", minimum: 1, maximum: 1),
        Signature(name: "Header", minimum: 2, maximum: 2), Signature(name: "HeaderRegexp", minimum: 2, maximum: 2),
        Signature(name: "Query", minimum: 1, maximum: 2), Signature(name: "QueryRegexp", minimum: 1, maximum: 2),
        Signature(name: "ClientIP", minimum: 1, maximum: 1),
    ]

    static func signatures(for version: TraefikMajorVersion) -> [Signature] {
        switch version {
        case .v2: v2
        case .v3: v3
        }
    }

    /// The signature `written` names in `version`: the canonical name, all lower case or Title case
    /// (and all upper case in v2), as Traefik's parsers register them.
    static func signature(_ written: String, in version: TraefikMajorVersion) -> Signature? {
        signatures(for: version).first { spellings(of: $0.name, in: version).contains(written) }
    }

    private static func spellings(of name: String, in version: TraefikMajorVersion) -> Set<String> {
        var names: Set<String> = [name, name.lowercased(), name.prefix(1).uppercased() + name.dropFirst().lowercased()]
        if version == .v2 { names.insert(name.uppercased()) }
        return names
    }

    /// What to say about a name that is not a matcher of `version`: the other version's name, or a typo.
    static func unknownHint(_ written: String, in version: TraefikMajorVersion) -> (message: String, hint: String) {
        let other: TraefikMajorVersion = version == .v2 ? .v3 : .v2
        if let signature = signature(written, in: other) {
            let renamed = ["Headers": "Header", "HeadersRegexp": "HeaderRegexp", "HostHeader": "Host"]
            if version == .v3, let replacement = renamed[signature.name] {
                return ("`\(written)` is a Traefik v2 matcher, unknown in v3", "use `\(replacement)` in v3")
            }
            return ("`\(written)` is a Traefik \(other.rawValue) matcher, unknown in \(version.rawValue)",
                    "write the rule for Traefik \(version.rawValue), or set `routing.traefik: \(other.rawValue)`")
        }
        let names = signatures(for: version).map(\.name)
        return ("unknown matcher `\(written)`",
                SpecSuggestions.hint(for: written, in: names, otherwise: "Traefik \(version.rawValue) matchers: \(SpecSuggestions.list(names))"))
    }
}
