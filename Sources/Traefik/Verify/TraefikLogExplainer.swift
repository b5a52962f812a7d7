/// Finds the line of Traefik's log that explains why a router is not in its API.
///
/// Traefik lists a router it rejected (bad rule, missing service) with its `error`, but drops without a trace in
/// the API a router defined twice with different configurations (`HTTP router defined multiple times with
/// different configurations … routerName=NAME`) and every router of a service whose port is missing
/// (`error="service \"NAME\" error: port is missing"`); only its log says so (docs/traefik.md).
public struct TraefikLogExplainer: Sendable {
    /// The log, oldest first.
    public var lines: [String]

    public init(lines: [String]) {
        self.lines = lines
    }

    /// The latest error or warning line about `router` (its name without provider), or about the service
    /// Traefik made from the Docker service that defines it (`providerService`, normalised as Traefik names it).
    public func explanation(router: String, providerService: String?) -> String? {
        let bare = TraefikResourceName(parsing: router).name
        let serious = lines.filter { Self.isWarningOrError($0) }
        if let line = serious.last(where: { Self.mentions($0, router: bare) }) { return Self.trimmed(line) }
        if let providerService, !providerService.isEmpty, let line = serious.last(where: { line in
            line.contains("\\\"\(providerService)\\\"") || line.contains("\"\(providerService)\"")
                || line.contains("container=\(providerService)-") || line.contains("serviceName=\(providerService) ")
        }) {
            return Self.trimmed(line)
        }
        return currentProviderError
    }

    /// How many of the last log lines may hold a provider error that still explains a missing router: Traefik logs
    /// `Provider error, retrying in …` at every retry while it cannot read Swarm, and little else at INFO.
    static let providerErrorWindow = 100

    /// The latest error of the Swarm (or v2 Docker) provider among the last lines: Traefik cannot read Swarm (the
    /// socket proxy down or refusing, `endpoint` wrong), so no new router appears. Nil when none is recent.
    public var currentProviderError: String? {
        lines.suffix(Self.providerErrorWindow).last { line in
            Self.isWarningOrError(line) && (line.contains("providerName=swarm") || line.contains("providerName=docker"))
                && (line.contains("Provider error") || line.contains("Failed to retrieve information of the docker client")
                    || line.contains("Cannot connect to the Docker daemon"))
        }.map { Self.trimmed($0) }
    }

    /// `routerName=NAME` as a whole field (not a prefix of a longer name).
    static func mentions(_ line: String, router: String) -> Bool {
        for field in ["routerName=\(router)", "routerName=\(router)@"] {
            var search = line[...]
            while let range = search.range(of: field) {
                let next = search[range.upperBound...].first
                if field.hasSuffix("@") || next == nil || next == " " || next == "\"" { return true }
                search = search[range.upperBound...]
            }
        }
        return false
    }

    static func isWarningOrError(_ line: String) -> Bool {
        [" ERR ", " WRN ", " FTL ", "level=error", "level=warning"].contains { line.contains($0) }
    }

    /// The line without its leading timestamp, capped at `limit` characters, for a one-line message.
    public static func trimmed(_ line: String, limit: Int = 400) -> String {
        var text = line.trimmingWhitespace
        if let space = text.firstIndex(of: " "), text[..<space].contains("T"), text[..<space].contains(":") {
            text = String(text[text.index(after: space)...])
        }
        return text.count > limit ? String(text.prefix(limit)) + "…" : text
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
