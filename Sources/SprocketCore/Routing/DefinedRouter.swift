/// A router as the labels of one service define it (compiled from `routes:` or written by hand), with
/// who defines it and where, for the checks across services, layers, stacks and environments.
struct DefinedRouter {
    var name: String
    var options: [String: String]
    var owner: RouteOwner
    /// Where the router is written: its route, or its hand-written `rule` label.
    var location: SourceLocation
    var version: TraefikMajorVersion
    /// The parsed rule, nil when it is missing or invalid (reported separately).
    var rule: TraefikRule?

    var entryPoints: [String] {
        (options["entrypoints"] ?? "").split(separator: ",").map { String($0).filter { !$0.isWhitespace } }.filter { !$0.isEmpty }
    }

    /// Traefik's priority: the explicit one, else the rule's length in bytes.
    var effectivePriority: Int {
        if let explicit = options["priority"].flatMap({ Int($0.filter { !$0.isWhitespace }) }), explicit != 0 { return explicit }
        return (options["rule"] ?? "").utf8.count
    }

    /// Whether both routers listen on a common entry point (no entry points means all of them).
    func sharesEntryPoint(with other: DefinedRouter) -> Bool {
        let (mine, theirs) = (entryPoints, other.entryPoints)
        return mine.isEmpty || theirs.isEmpty || !Set(mine).isDisjoint(with: theirs)
    }
}

/// The spec service that defines a router, and in which stack and environment.
struct RouteOwner: Hashable {
    var stack: String
    var environment: String
    var service: String

    /// "service `web`", with the stack and environment when several are checked together.
    func described(qualified: Bool) -> String {
        qualified ? "service `\(service)` of \(stack)/\(environment)" : "service `\(service)`"
    }
}
