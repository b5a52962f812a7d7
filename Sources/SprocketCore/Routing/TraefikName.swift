/// Names of generated Traefik routers, services and middlewares.
///
/// Traefik forbids `@` in names and merges same-named resources from different services (failing
/// when they differ, docs/wire-formats.md §3.4), so names are derived from the stack, environment, service
/// and route, and reduced to lower-case letters, digits and single dashes.
public enum TraefikName {
    /// `text` in lower case with every run of other characters replaced by one `-`, trimmed of dashes.
    public static func sanitize(_ text: String) -> String {
        normalize(text.lowercased())
    }

    /// Traefik's own `provider.Normalize`: every run of characters other than letters and digits replaced by
    /// one `-`, none at either end, case kept. It names the service Traefik makes from a Docker service
    /// (`sprocket-prod_web` becomes `sprocket-prod-web`), as its log lines show it.
    public static func normalize(_ text: String) -> String {
        var result = ""
        var pendingDash = false
        for character in text {
            if character.isASCII, character.isLetter || character.isNumber {
                if pendingDash, !result.isEmpty { result.append("-") }
                pendingDash = false
                result.append(character)
            } else {
                pendingDash = true
            }
        }
        return result
    }

    /// The base name of a route: `<stack>-<env>-<service>-<route>`.
    public static func route(stack: String, environment: String, service: String, route: String) -> String {
        sanitize("\(stack)-\(environment)-\(service)-\(route)")
    }
}
