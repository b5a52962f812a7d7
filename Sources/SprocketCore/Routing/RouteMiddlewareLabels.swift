/// Writes the `traefik.http.middlewares.<name>.<type>.*` labels of one middleware.
enum RouteMiddlewareLabels {
    static func add(_ middleware: RouteMiddleware, named name: String, to labels: inout [String: String]) {
        let prefix = "traefik.http.middlewares.\(name).\(middleware.kind)"
        switch middleware {
        case .forwardAuth(let address, let trustForwardHeader, let responseHeaders):
            labels["\(prefix).address"] = address
            // Always explicit: Traefik 3.7 warns when it is left to its default (docs/traefik.md).
            labels["\(prefix).trustforwardheader"] = trustForwardHeader ? "true" : "false"
            if !responseHeaders.isEmpty { labels["\(prefix).authresponseheaders"] = responseHeaders.joined(separator: ",") }
        case .redirectScheme(let scheme, let permanent):
            labels["\(prefix).scheme"] = scheme
            labels["\(prefix).permanent"] = permanent ? "true" : "false"
        case .redirectRegex(let regex, let replacement, let permanent):
            labels["\(prefix).regex"] = regex
            labels["\(prefix).replacement"] = replacement
            labels["\(prefix).permanent"] = permanent ? "true" : "false"
        case .basicAuth(let secret, let realm):
            labels["\(prefix).usersfile"] = "/run/secrets/\(secret)"
            if let realm { labels["\(prefix).realm"] = realm }
        case .headers(let request, let response):
            for (header, value) in request { labels["\(prefix).customrequestheaders.\(header)"] = value }
            for (header, value) in response { labels["\(prefix).customresponseheaders.\(header)"] = value }
        }
    }
}
