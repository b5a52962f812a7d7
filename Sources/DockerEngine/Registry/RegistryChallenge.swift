/// A registry's `WWW-Authenticate` answer to an anonymous request: `Bearer realm="…",service="…",scope="…"` (the
/// token dance of Docker Hub, GHCR and most hosted registries) or `Basic realm="…"` (a registry with an htpasswd
/// file, such as the distribution registry run by a team itself).
struct RegistryChallenge: Sendable, Equatable {
    enum Scheme: Sendable, Equatable {
        case bearer
        case basic
        case other(String)
    }

    var scheme: Scheme
    var parameters: [String: String]

    /// Parses one challenge; quoted values may hold commas (`scope="repository:a:pull,push"`).
    init(_ header: String) {
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        let name = trimmed.prefix { $0 != " " }
        switch name.lowercased() {
        case "bearer": scheme = .bearer
        case "basic": scheme = .basic
        default: scheme = .other(String(name))
        }
        parameters = Self.parameters(trimmed.dropFirst(name.count))
    }

    private static func parameters(_ text: Substring) -> [String: String] {
        var parameters: [String: String] = [:]
        var rest = text[...]
        while true {
            rest = rest.drop { $0 == " " || $0 == "," }
            guard let equals = rest.firstIndex(of: "=") else { break }
            let key = rest[..<equals].trimmingCharacters(in: .whitespaces)
            rest = rest[rest.index(after: equals)...]
            let value: Substring
            if rest.first == "\"" {
                let body = rest.dropFirst()
                let end = body.firstIndex(of: "\"") ?? body.endIndex
                value = body[..<end]
                rest = end == body.endIndex ? body[end...] : body[body.index(after: end)...]
            } else {
                let end = rest.firstIndex(of: ",") ?? rest.endIndex
                value = rest[..<end]
                rest = rest[end...]
            }
            if !key.isEmpty { parameters[key] = value.trimmingCharacters(in: .whitespaces) }
        }
        return parameters
    }
}
