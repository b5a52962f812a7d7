/// One thing wrong with an expected router, as ``RouteVerifier`` saw it in Traefik's API.
///
/// `Codable` as a flat object with a `kind` and the fields of that kind, plus `message` (the human text), so
/// `--json` output is easy to filter: `{"kind":"ruleMismatch","expected":"…","seen":"…","message":"…"}`.
public enum RouteFinding: Sendable, Equatable, Codable, CustomStringConvertible {
    /// No router of that name in the API.
    case missing
    /// No router of that name in the API, and Traefik's log says why (it drops a router defined twice with
    /// different configurations, and every router of a service whose port is missing, without listing it).
    case dropped(logLine: String)
    /// The request through Traefik's `web` entry point with the router's Host and path got no answer, a 404
    /// (no router matched) or a 5xx (no healthy server); nil status: no answer at all.
    case probeFailed(status: Int?, detail: String)
    /// A request over HTTPS through Traefik's `websecure` entry point, with the router's host as SNI, failed or was
    /// served a certificate that will not do (Traefik's default one while a resolver is declared, an untrusted or
    /// expired one). `acmeError` is Traefik's own log line about the failed order, `remedy` what to do about it.
    case tlsProbeFailed(detail: String, acmeError: String?, remedy: String?)
    /// The router exists but its status is not `enabled` (`disabled` or `warning`).
    case disabled(status: String)
    /// Traefik attached errors to the router (its `error` list), verbatim.
    case inError(messages: [String])
    /// The rule differs (after whitespace normalisation).
    case ruleMismatch(expected: String, seen: String)
    /// The entry points differ as sets.
    case entryPointsMismatch(expected: [String], seen: [String])
    /// The router has a `tls` section where none is expected, or lacks one.
    case tlsMismatch(expected: Bool, seen: Bool)
    /// The TLS certificate resolver differs; nil means none.
    case tlsResolverMismatch(expected: String?, seen: String?)
    /// The middlewares differ; `orderOnly` when they are the same set in another order (which still matters:
    /// Traefik runs them in list order).
    case middlewareMismatch(expected: [String], seen: [String], orderOnly: Bool)
    /// The router sends to another service than expected.
    case serviceMismatch(expected: String, seen: String?)
    /// The router's service does not exist in the API.
    case serviceMissing(service: String)
    /// The service exists but its load balancer has no server: no running task (or none on Traefik's network).
    case noServers(service: String)
    /// Health checks report every server of the service `DOWN`.
    case serversDown(service: String, servers: [String])
    /// A router of our provider and name prefix that the spec does not expect (an orphan or a duplicate).
    case unexpected

    /// The kind as a word, as in the JSON form.
    public var kind: String {
        switch self {
        case .missing: "missing"
        case .dropped: "dropped"
        case .probeFailed: "probeFailed"
        case .tlsProbeFailed: "tlsProbeFailed"
        case .disabled: "disabled"
        case .inError: "inError"
        case .ruleMismatch: "ruleMismatch"
        case .entryPointsMismatch: "entryPointsMismatch"
        case .tlsMismatch: "tlsMismatch"
        case .tlsResolverMismatch: "tlsResolverMismatch"
        case .middlewareMismatch: "middlewareMismatch"
        case .serviceMismatch: "serviceMismatch"
        case .serviceMissing: "serviceMissing"
        case .noServers: "noServers"
        case .serversDown: "serversDown"
        case .unexpected: "unexpected"
        }
    }

    /// What is wrong, in one line.
    public var description: String {
        switch self {
        case .missing:
            return "not in Traefik's API (not deployed, labels not read yet, or dropped as defined twice differently)"
        case .dropped(let logLine):
            return "not in Traefik's API: Traefik dropped it; its log says: \(logLine)"
        case .probeFailed(let status, let detail):
            return (status.map { "a request through Traefik answered HTTP \($0)" } ?? "a request through Traefik got no answer") + ": \(detail)"
        case .tlsProbeFailed(let detail, let acmeError, _):
            return "over HTTPS through Traefik's websecure entry point: \(detail)" + (acmeError.map { "; Traefik's log: \($0)" } ?? "")
        case .disabled(let status):
            return "status is \(status), not enabled"
        case .inError(let messages):
            return "Traefik reports: " + messages.joined(separator: "; ")
        case .ruleMismatch(let expected, let seen):
            return "rule is \(seen), expected \(expected)"
        case .entryPointsMismatch(let expected, let seen):
            return "entry points are \(Self.list(seen)), expected \(Self.list(expected))"
        case .tlsMismatch(let expected, _):
            return expected ? "TLS is off, expected on" : "TLS is on, expected off"
        case .tlsResolverMismatch(let expected, let seen):
            return "TLS resolver is \(seen ?? "none"), expected \(expected ?? "none")"
        case .middlewareMismatch(let expected, let seen, let orderOnly):
            return (orderOnly ? "middlewares run in another order: " : "middlewares are ")
                + "\(Self.list(seen)), expected \(Self.list(expected))"
        case .serviceMismatch(let expected, let seen):
            return "service is \(seen ?? "none"), expected \(expected)"
        case .serviceMissing(let service):
            return "service \(service) does not exist"
        case .noServers(let service):
            return "service \(service) has no servers (no running task reachable on Traefik's network)"
        case .serversDown(let service, let servers):
            return "every server of \(service) is DOWN: \(servers.joined(separator: ", "))"
        case .unexpected:
            return "not expected by the spec (an orphaned or duplicate router)"
        }
    }

    private static func list(_ items: [String]) -> String {
        items.isEmpty ? "[]" : "[" + items.joined(separator: ", ") + "]"
    }
}
