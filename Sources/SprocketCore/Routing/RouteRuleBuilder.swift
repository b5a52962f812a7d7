/// Writes the rule of a generated router in the grammar of the Traefik version.
///
/// The rule is built as a ``TraefikRule`` and printed, so it is exactly what the parser accepts:
/// v2 lists several hosts in one matcher (``Host(`a`, `b`)``), v3 joins single-value matchers with `||`.
struct RouteRuleBuilder {
    var version: TraefikMajorVersion

    func rule(hosts: [String], pathPrefixes: [String]) -> String {
        var parts: [TraefikRule] = []
        if let host = alternatives("Host", hosts) { parts.append(host) }
        if let path = alternatives("PathPrefix", pathPrefixes) { parts.append(path) }
        guard let first = parts.first else { return "PathPrefix(`/`)" }
        return parts.dropFirst().reduce(first) { .and($0, $1) }.description
    }

    private func alternatives(_ matcher: String, _ values: [String]) -> TraefikRule? {
        guard !values.isEmpty else { return nil }
        switch version {
        case .v2:
            return .matcher(TraefikMatcher(name: matcher, arguments: values, column: 0))
        case .v3:
            let single = values.map { TraefikRule.matcher(TraefikMatcher(name: matcher, arguments: [$0], column: 0)) }
            return single.dropFirst().reduce(single[0]) { .or($0, $1) }
        }
    }
}
