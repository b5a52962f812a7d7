import Foundation

/// `images.lock` next to `stack.yaml`: the digest every image reference of the spec resolved to when it was
/// locked (`sprocketctl images lock`), so that a tag moved in the registry changes nothing until
/// `images update` says so. With a lock present, services run `reference@digest`.
public struct ImageLock: Sendable, Equatable, Codable {
    public static let fileName = "images.lock"

    /// Reference as written in the spec -> `sha256:…`.
    public var images: [String: String]

    public init(images: [String: String] = [:]) {
        self.images = images
    }

    public static func path(in stackDirectory: String) -> String { "\(stackDirectory)/\(fileName)" }

    /// The lock of a stack folder; nil when there is none.
    /// - Throws: ``SprocketError`` naming the file when it exists but cannot be read.
    public static func load(from stackDirectory: String) throws -> ImageLock? {
        let path = path(in: stackDirectory)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do {
            return try JSONDecoder().decode(ImageLock.self, from: data)
        } catch {
            throw SprocketError(.stateCorrupt, "the image lock cannot be read: \(error)", subject: path,
                                hint: "restore it from git, or run `sprocketctl images lock` to write it again")
        }
    }

    public func save(in stackDirectory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(Array(try encoder.encode(self)) + [0x0A], to: Self.path(in: stackDirectory), permissions: 0o644)
    }

    /// The stack with each locked image pinned by digest; returns the references the lock does not cover.
    public func apply(to stack: StackSpec) -> (stack: StackSpec, unlocked: [String]) {
        var stack = stack
        var unlocked: Set<String> = []
        for layer in stack.layers.indices {
            for index in stack.layers[layer].services.indices {
                let image = stack.layers[layer].services[index].image
                // Digests pin what a registry serves; the runner is built from the running sprocketctl, named by its content.
                guard !image.contains("@"), image != RunnerImage.placeholder else { continue }
                guard let digest = images[image] else {
                    unlocked.insert(image)
                    continue
                }
                stack.layers[layer].services[index].image = "\(image)@\(digest)"
            }
        }
        return (stack, unlocked.sorted())
    }

    /// Every image reference of the given stacks (one per environment), sorted.
    public static func references(in stacks: [StackSpec]) -> [String] {
        Set(stacks.flatMap { $0.layers.flatMap(\.services).map(\.image) }.filter { !$0.contains("@") && $0 != RunnerImage.placeholder }).sorted()
    }
}
