/// A host and path a router answers for, derived from its rule to find routers that shadow each other.
struct RouteClaim: Sendable, Hashable {
    /// Lower-case host; nil means any host.
    var host: String?
    /// Path prefix (an exact `Path` counts as a prefix); nil means any path.
    var pathPrefix: String?

    /// Whether one request could match both claims.
    func overlaps(_ other: RouteClaim) -> Bool {
        let hosts = host == nil || other.host == nil || host == other.host
        guard hosts else { return false }
        guard let mine = pathPrefix, let theirs = other.pathPrefix else { return true }
        return mine.hasPrefix(theirs) || theirs.hasPrefix(mine)
    }

    /// The claims of `rule` as alternatives (OR of ANDs), or nil when the rule uses a matcher other than
    /// Host, Path or PathPrefix, or a negation: then two rules cannot be compared safely and are not.
    static func claims(of rule: TraefikRule) -> [RouteClaim]? {
        switch rule {
        case .matcher(let matcher):
            switch matcher.name {
            case "Host", "HostHeader": return matcher.arguments.map { RouteClaim(host: $0.lowercased(), pathPrefix: nil) }
            case "Path", "PathPrefix": return matcher.arguments.map { RouteClaim(host: nil, pathPrefix: $0) }
            default: return nil
            }
        case .not:
            return nil
        case .or(let left, let right):
            guard let left = claims(of: left), let right = claims(of: right) else { return nil }
            return left + right
        case .and(let left, let right):
            guard let left = claims(of: left), let right = claims(of: right) else { return nil }
            return left.flatMap { first in right.compactMap { first.intersection($0) } }
        }
    }

    /// Both claims at once, or nil when no request can satisfy both.
    private func intersection(_ other: RouteClaim) -> RouteClaim? {
        if let host, let otherHost = other.host, host != otherHost { return nil }
        var path = pathPrefix ?? other.pathPrefix
        if let mine = pathPrefix, let theirs = other.pathPrefix {
            guard mine.hasPrefix(theirs) || theirs.hasPrefix(mine) else { return nil }
            path = mine.count >= theirs.count ? mine : theirs
        }
        return RouteClaim(host: host ?? other.host, pathPrefix: path)
    }
}
