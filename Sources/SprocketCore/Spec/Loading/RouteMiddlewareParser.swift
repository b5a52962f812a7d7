/// Reads a route's `middlewares:`: one-key mappings naming the kind, e.g.
/// `- forward_auth: {address: https://auth.example.com/check}`.
struct RouteMiddlewareParser {
    let context: SpecParseContext

    static let kinds = ["forward_auth", "redirect_scheme", "redirect_regex", "basic_auth", "headers"]

    func middlewares(_ node: YAMLNode) -> [RouteMiddleware] {
        guard let items = context.list(node, for: "routes.middlewares") else { return [] }
        return items.compactMap(middleware)
    }

    private func middleware(_ item: YAMLNode) -> RouteMiddleware? {
        guard let entries = item.mapping, let entry = entries.first, entries.count == 1 else {
            context.typeError(item, expected: "a one-key mapping such as `- forward_auth: {address: ...}`", for: "routes.middlewares",
                              hint: "start each entry with its kind: \(SpecSuggestions.list(Self.kinds))")
            return nil
        }
        let key = "routes.middlewares.\(entry.key)"
        switch entry.key {
        case "forward_auth":
            guard let fields = options(entry, known: ["address", "trust_forward_header", "response_headers"]),
                let address = required(fields, "address", of: entry)
            else { return nil }
            return .forwardAuth(
                address: address,
                trustForwardHeader: fields["trust_forward_header"].flatMap { context.boolean($0, for: "\(key).trust_forward_header") } ?? false,
                responseHeaders: fields["response_headers"].map { context.strings($0, for: "\(key).response_headers") } ?? [])
        case "redirect_scheme":
            guard let fields = options(entry, known: ["scheme", "permanent"]) else { return nil }
            return .redirectScheme(
                scheme: fields["scheme"].flatMap { context.string($0, for: "\(key).scheme") } ?? "https",
                permanent: fields["permanent"].flatMap { context.boolean($0, for: "\(key).permanent") } ?? true)
        case "redirect_regex":
            guard let fields = options(entry, known: ["regex", "replacement", "permanent"]),
                let regex = required(fields, "regex", of: entry), let replacement = required(fields, "replacement", of: entry)
            else { return nil }
            return .redirectRegex(regex: regex, replacement: replacement,
                                  permanent: fields["permanent"].flatMap { context.boolean($0, for: "\(key).permanent") } ?? true)
        case "basic_auth":
            guard let fields = options(entry, known: ["secret", "realm"]), let secret = required(fields, "secret", of: entry) else { return nil }
            return .basicAuth(secret: secret, realm: fields["realm"].flatMap { context.string($0, for: "\(key).realm") })
        case "headers":
            guard let fields = options(entry, known: ["request", "response"]) else { return nil }
            let pairs = KeyValueParser(context: context)
            return .headers(request: fields["request"].map { pairs.dictionary($0, for: "\(key).request", listAllowed: false) } ?? [:],
                            response: fields["response"].map { pairs.dictionary($0, for: "\(key).response", listAllowed: false) } ?? [:])
        default:
            context.diagnostics.error(entry.keyLocation, "unknown middleware kind `\(entry.key)`",
                                      hint: SpecSuggestions.hint(for: entry.key, in: Self.kinds, otherwise: "use one of \(SpecSuggestions.list(Self.kinds))"))
            return nil
        }
    }

    private func options(_ entry: YAMLEntry, known: [String]) -> SpecFields? {
        context.fields(entry.value, of: "the `\(entry.key)` middleware", known: known)
    }

    private func required(_ fields: SpecFields, _ name: String, of entry: YAMLEntry) -> String? {
        guard let node = fields[name] else {
            context.diagnostics.error(entry.keyLocation, "the `\(entry.key)` middleware has no `\(name)`",
                                      hint: "add `\(name):`; docs/spec.md shows an example")
            return nil
        }
        return context.string(node, for: "routes.middlewares.\(entry.key).\(name)")
    }
}
