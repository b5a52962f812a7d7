import Foundation
import Yams

/// Replaces a stack's images with local stand-ins, to run its topology (networks, routes, secrets, configs,
/// placement, gates) where the real images cannot run: a laptop without registry access, CI.
///
/// A stand-in keeps everything of the service except what only the real image understands: its entrypoint and
/// command become a small script that answers HTTP on every port the service's routes and published ports name,
/// and its healthcheck is dropped. The service is labelled `io.sprocket.stand-in=<real image>`, so nobody mistakes
/// it for the real thing.
///
/// ```yaml
/// default: sprocket-local/busybox:latest       # every image without an entry of its own (optional)
/// keep: ["sprocket-local/*"]                     # images that run as they are (built here), before any other rule
/// images:
///   "asaxplayinghorse/*": sprocket-local/busybox:latest
///   "redis/redis-stack-server:*": sprocket-local/busybox:latest
/// ```
public struct StandInMap: Sendable, Equatable {
    public var defaultImage: String?
    /// Patterns (an exact reference, or a prefix ending in `*`) and their stand-ins, longest first.
    public var images: [(pattern: String, image: String)]
    /// Patterns of images that keep running as they are (images that can be built where the map is used).
    public var keep: [String]

    public static let label = "io.sprocket.stand-in"

    public init(defaultImage: String?, images: [(pattern: String, image: String)], keep: [String] = []) {
        self.defaultImage = defaultImage
        self.images = images
        self.keep = keep
    }

    public static func == (lhs: StandInMap, rhs: StandInMap) -> Bool {
        lhs.defaultImage == rhs.defaultImage && lhs.keep == rhs.keep
            && lhs.images.map { "\($0.pattern)=\($0.image)" } == rhs.images.map { "\($0.pattern)=\($0.image)" }
    }

    /// Reads a map file.
    /// - Throws: ``SprocketError`` naming the file when it cannot be read or has the wrong shape.
    public static func load(path: String) throws -> StandInMap {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SprocketError(.stateIO, "the stand-in map cannot be read", subject: path, hint: "check the path given to --stand-ins")
        }
        let shapeError = SprocketError(
            .stateIO, "the stand-in map must be a mapping with `images:` (pattern -> image) and optionally `default:` and `keep:` (patterns)",
            subject: path,
            hint: "e.g. `images: {\"example/*\": sprocket-local/busybox:latest}`")
        let text = String(decoding: data, as: UTF8.self)
        // The spec files' limits (size, alias expansion) first: Yams.load alone would expand an alias bomb.
        let diagnostics = SpecDiagnosticCollector()
        guard case .document = YAMLReader.parse(text, file: path, what: "stand-in map", diagnostics: diagnostics) else {
            let reason = diagnostics.diagnostics.first.map(\.description) ?? "it is empty"
            throw SprocketError(.stateIO, "the stand-in map cannot be used: \(reason)", subject: path, hint: "fix the file")
        }
        let node: Any?
        do {
            node = try Yams.load(yaml: text)
        } catch {
            throw SprocketError(.stateIO, "the stand-in map is not valid YAML: \(error)", subject: path, hint: "fix the file")
        }
        guard let root = node as? [String: Any] else { throw shapeError }
        let unknown = Set(root.keys).subtracting(["default", "images", "keep"])
        guard unknown.isEmpty else { throw shapeError }
        var images: [(String, String)] = []
        if let entries = root["images"] {
            guard let mapping = entries as? [String: Any] else { throw shapeError }
            for (pattern, image) in mapping.sorted(by: { $0.key.count > $1.key.count }) {
                guard let image = image as? String else { throw shapeError }
                images.append((pattern, image))
            }
        }
        var keep: [String] = []
        if let entries = root["keep"] {
            guard let patterns = entries as? [String] else { throw shapeError }
            keep = patterns
        }
        let defaultImage = root["default"].flatMap { $0 as? String }
        return StandInMap(defaultImage: defaultImage, images: images, keep: keep)
    }

    /// The stand-in for `image`, nil when it keeps its own.
    public func standIn(for image: String) -> String? {
        // The runner is this very sprocketctl, packaged on the spot: it runs wherever `up` does.
        if image == RunnerImage.placeholder || keep.contains(where: { Self.matches(image, $0) }) { return nil }
        for (pattern, replacement) in images where Self.matches(image, pattern) { return replacement }
        return defaultImage
    }

    /// An exact reference, or a prefix ending in `*`.
    static func matches(_ image: String, _ pattern: String) -> Bool {
        pattern.hasSuffix("*") ? image.hasPrefix(pattern.dropLast()) : image == pattern
    }

    /// The stack with every mapped service replaced by its stand-in.
    public func apply(to stack: StackSpec) -> StackSpec {
        var stack = stack
        let asked = Self.forwardAuthPaths(in: stack)
        for layer in stack.layers.indices {
            for index in stack.layers[layer].services.indices {
                let service = stack.layers[layer].services[index]
                guard let image = standIn(for: service.image) else { continue }
                stack.layers[layer].services[index] = standIn(service, image: image, paths: asked[service.name] ?? [])
            }
        }
        return stack
    }

    /// The paths other services' forward-auth middlewares ask of each service (`http://forward-auth:3000/login?…`
    /// asks `/login` of `forward-auth`): a stand-in answers 200 there too, so the routes behind it answer.
    static func forwardAuthPaths(in stack: StackSpec) -> [String: Set<String>] {
        var paths: [String: Set<String>] = [:]
        for route in stack.layers.flatMap(\.services).flatMap(\.routes) {
            for case .forwardAuth(let address, _, _) in route.middlewares {
                guard let url = URLComponents(string: address), let host = url.host, !url.path.isEmpty, url.path != "/" else { continue }
                paths[host, default: []].insert(url.path)
            }
        }
        return paths
    }

    private func standIn(_ service: ServiceSpec, image: String, paths: Set<String>) -> ServiceSpec {
        var service = service
        let ports = Set(service.routes.compactMap(\.port) + service.ports.map(\.target)).sorted()
        let page = "stand-in for \(service.name) (\(service.image))"
        let servers = ports.map { "httpd -p \($0) -h /tmp/stand-in" }
        // Only plain path segments become files: nothing from the spec reaches the shell unquoted.
        let files = paths.sorted().filter { $0.allSatisfy { $0.isLetter || $0.isNumber || "/-_.".contains($0) } && !$0.contains("..") }
            .map { "mkdir -p \"/tmp/stand-in$(dirname \($0))\" && cp /tmp/stand-in/index.html /tmp/stand-in\($0)" }
        let script = (["mkdir -p /tmp/stand-in", "echo '\(page)' > /tmp/stand-in/index.html"] + files + servers + ["exec sleep 2147483647"])
            .joined(separator: " && ")
        service.deploy.labels[Self.label] = service.image
        service.image = image
        service.entrypoint = ["/bin/sh", "-c"]
        service.command = [script]
        service.healthcheck = nil
        service.user = nil
        return service
    }
}
