/// An image reference split the way registries see it: `[registry/]repository[:tag][@digest]`.
///
/// Docker Hub names are normalised: `traefik:v3.6` is `registry-1.docker.io`, `library/traefik`, tag `v3.6`.
public struct ImageReference: Sendable, Hashable, CustomStringConvertible {
    public var registry: String
    public var repository: String
    public var tag: String?
    public var digest: String?

    public static let dockerHub = "registry-1.docker.io"

    /// Parses a reference; nil when it is empty or malformed.
    public init?(_ text: String) {
        guard !text.isEmpty, !text.contains(" ") else { return nil }
        var rest = Substring(text)
        if let at = rest.firstIndex(of: "@") {
            digest = String(rest[rest.index(after: at)...])
            rest = rest[..<at]
        }
        var components = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !components.isEmpty, !components.contains(where: \.isEmpty) else { return nil }
        // The first component is a registry when it looks like a host (a dot or a port) or is `localhost`.
        if components.count > 1, components[0].contains(".") || components[0].contains(":") || components[0] == "localhost" {
            registry = components.removeFirst()
        } else {
            registry = Self.dockerHub
        }
        var last = components.removeLast()
        if let colon = last.lastIndex(of: ":") {
            tag = String(last[last.index(after: colon)...])
            last = String(last[..<colon])
        }
        components.append(last)
        if registry == Self.dockerHub, components.count == 1 { components.insert("library", at: 0) }
        repository = components.joined(separator: "/")
        if tag == nil && digest == nil { tag = "latest" }
    }

    public var description: String {
        var text = registry == Self.dockerHub
            ? (repository.hasPrefix("library/") ? String(repository.dropFirst("library/".count)) : repository)
            : "\(registry)/\(repository)"
        if let tag { text += ":\(tag)" }
        if let digest { text += "@\(digest)" }
        return text
    }
}
