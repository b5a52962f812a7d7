import ArgumentParser
import DockerEngine
import Foundation
import SprocketCore

/// `sprocketctl images`: pin every image of the spec by digest in `images.lock`, and move the pins on purpose.
struct ImagesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "images", abstract: "Pin the spec's images by digest (images.lock next to stack.yaml).",
        subcommands: [ImagesLockCommand.self, ImagesUpdateCommand.self])
}

/// Shared by `lock` and `update`: every reference of every environment, and the resolver.
enum ImageLocking {
    /// The spec as written, not pinned by the lock it is about to check (`runtime.loadSpec()` applies the lock, and a
    /// pinned image would be taken as already resolved), nor with stand-ins.
    static func stacks(_ runtime: CommandRuntime) throws -> [StackSpec] {
        let loader = SpecLoader(processEnvironment: runtime.environment)
        let first = try loader.load(path: runtime.options.file, environment: runtime.options.environment)
        for warning in first.warnings { runtime.console.err(warning.description) }
        return try [first] + first.declaredEnvironments.filter { $0 != first.environment }.map { environment in
            try loader.load(path: runtime.options.file, environment: environment)
        }
    }

    /// Credentials as the docker CLI keeps them (or `SPROCKET_REGISTRY_AUTH`), registry CAs where Docker keeps them
    /// (`SPROCKET_REGISTRY_CERTS_DIR` for another folder than `/etc/docker/certs.d`).
    static func resolver(_ runtime: CommandRuntime) -> RegistryDigestResolver {
        let certificates = runtime.environment["SPROCKET_REGISTRY_CERTS_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        return RegistryDigestResolver(
            credentials: RegistryCredentialStore(environment: runtime.environment),
            certificatesDirectory: certificates ?? RegistryDigestResolver.defaultCertificatesDirectory)
    }

    /// Resolves `references` (all of them at once, a few at a time) and reports each.
    static func resolve(_ references: [String], with resolver: RegistryDigestResolver) async throws -> [String: String] {
        try await withThrowingTaskGroup(of: (String, String).self) { group in
            var resolved: [String: String] = [:]
            var pending = references.makeIterator()
            func addNext() {
                guard let reference = pending.next() else { return }
                group.addTask {
                    guard let parsed = ImageReference(reference) else {
                        throw SprocketError(.engine, "`\(reference)` is not an image reference", subject: reference, hint: "fix the image in the spec")
                    }
                    return (reference, try await resolver.digest(of: parsed))
                }
            }
            for _ in 0..<4 { addNext() }
            while let (reference, digest) = try await group.next() {
                resolved[reference] = digest
                addNext()
            }
            return resolved
        }
    }
}

struct ImagesLockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lock",
        abstract: "Resolve the images that images.lock does not pin yet (every environment); drop pins no spec uses.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        try await CommandRuntime.run(options) { runtime in
            let stacks = try ImageLocking.stacks(runtime)
            guard let directory = stacks.first?.rootDirectory else { return }
            let references = ImageLock.references(in: stacks)
            var lock = try ImageLock.load(from: directory) ?? ImageLock()
            let missing = references.filter { lock.images[$0] == nil }
            let resolved = try await ImageLocking.resolve(missing, with: ImageLocking.resolver(runtime))
            let dropped = lock.images.keys.filter { !references.contains($0) }.sorted()
            for reference in dropped { lock.images[reference] = nil }
            for (reference, digest) in resolved { lock.images[reference] = digest }
            try lock.save(in: directory)
            for reference in missing { runtime.console.out("locked \(reference) -> \(resolved[reference] ?? "?")") }
            for reference in dropped { runtime.console.out("dropped \(reference) (no environment uses it)") }
            runtime.console.err("images.lock: \(lock.images.count) images pinned (\(missing.count) new, \(dropped.count) dropped)")
        }
    }
}

struct ImagesUpdateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update", abstract: "Resolve pinned images again and move the pins whose tag moved (all, or --image REF).")

    @OptionGroup var options: GlobalOptions

    @Option(help: "Only this reference, as written in the spec (repeatable).")
    var image: [String] = []

    @Flag(help: "Show what would move; write nothing. Exit 2 when something would.")
    var dryRun = false

    func run() async throws {
        try await CommandRuntime.run(options) { runtime in
            let stacks = try ImageLocking.stacks(runtime)
            guard let directory = stacks.first?.rootDirectory else { return }
            var lock = try ImageLock.load(from: directory) ?? ImageLock()
            let references = ImageLock.references(in: stacks).filter { image.isEmpty || image.contains($0) }
            if let unknown = image.first(where: { !references.contains($0) }) {
                throw ValidationError("--image \(unknown) is not an image of the spec")
            }
            let resolved = try await ImageLocking.resolve(references, with: ImageLocking.resolver(runtime))
            var moved = 0
            for reference in references {
                guard let digest = resolved[reference], lock.images[reference] != digest else { continue }
                runtime.console.out("\(reference): \(lock.images[reference] ?? "(not pinned)") -> \(digest)")
                lock.images[reference] = digest
                moved += 1
            }
            if moved == 0 { runtime.console.err("images.lock: every pin is current") }
            if dryRun {
                if moved > 0 { throw ExitCode(ExitStatus.changesPresent) }
                return
            }
            if moved > 0 { try lock.save(in: directory) }
        }
    }
}
