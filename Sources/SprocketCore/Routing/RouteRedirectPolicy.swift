/// Where HTTP is redirected to HTTPS.
///
/// When an environment uses only the public profile (and every public route has TLS), the `web`
/// entry point redirects everything: one place, and no route can forget it. When it also uses
/// localhost or IP profiles, those must keep working over plain HTTP, so the entry point does not
/// redirect and each public route gets its own `web` router with a `redirectscheme` middleware instead.
public enum RouteRedirectPolicy {
    public static func redirectsAtEntryPoint(_ stack: StackSpec) -> Bool {
        let routing = stack.routing
        guard routing.enables(.public), routing.access.allSatisfy({ $0 == .public }) else { return false }
        let routes = stack.layers.flatMap(\.services).flatMap(\.routes)
        return !routes.contains { $0.tls == .none && ($0.access.isEmpty || $0.access.contains(.public)) }
    }
}
