import Foundation
import Testing

/// The module dependency rules of `docs/architecture.md`, checked against what `Package.swift` declares
/// (`swift package dump-package`) and against every `import` in `Sources/` and `Tests/`.
@Suite("module dependency rules (docs/architecture.md)")
struct ModuleDependencyTests {
    static let core = "SprocketCore"
    /// One module per external system: each knows `SprocketCore` only.
    static let systems: Set<String> = ["DockerEngine", "Vault", "Doppler", "Postgres", "S3", "Traefik", "LetsEncrypt"]
    /// Modules every target may import without declaring them: the toolchain's own.
    static let toolchain: Set<String> = ["Foundation", "FoundationNetworking", "FoundationXML", "FoundationEssentials", "Glibc", "Darwin", "Dispatch", "Synchronization", "Testing", "XCTest"]

    struct Target {
        var name: String
        var type: String
        /// Targets of this package it names.
        var modules: Set<String>
        /// Products of other packages it names.
        var products: Set<String>
    }

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The targets as SwiftPM reads `Package.swift` (a scratch path of its own, so that it never waits for the
    /// build folder's lock held by the running `swift test`).
    static func targets() throws -> [String: Target] {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("dump-package-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swift", "package", "--package-path", packageRoot.path, "--scratch-path", scratch.path, "dump-package"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "swift package dump-package failed")
        let package = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let list = try #require(package["targets"] as? [[String: Any]])
        var targets: [String: Target] = [:]
        for entry in list {
            let name = try #require(entry["name"] as? String)
            var target = Target(name: name, type: entry["type"] as? String ?? "", modules: [], products: [])
            for dependency in entry["dependencies"] as? [[String: Any]] ?? [] {
                if let byName = (dependency["byName"] ?? dependency["target"]) as? [Any], let module = byName.first as? String {
                    target.modules.insert(module)
                } else if let product = dependency["product"] as? [Any], let productName = product.first as? String {
                    target.products.insert(productName)
                }
            }
            targets[name] = target
        }
        try #require(targets.count > 10, "Package.swift was not read: \(targets.keys.sorted())")
        return targets
    }

    @Test("SprocketCore depends on no other module of the package; each system module on SprocketCore only")
    func coreAndSystems() throws {
        let targets = try Self.targets()
        let own = Set(targets.keys)
        #expect(try #require(targets[Self.core]).modules.intersection(own).isEmpty)
        for system in Self.systems.sorted() {
            let target = try #require(targets[system], "no target \(system)")
            #expect(target.modules.intersection(own) == [Self.core], "\(system) depends on \(target.modules.sorted())")
        }
    }

    @Test("SecretPipeline and Orchestration sit above the systems and below the CLI; nothing ships with test support")
    func layers() throws {
        let targets = try Self.targets()
        let pipeline = try #require(targets["SecretPipeline"])
        #expect(pipeline.modules.isSubset(of: Self.systems.union([Self.core])), "SecretPipeline depends on \(pipeline.modules.sorted())")
        let orchestration = try #require(targets["Orchestration"])
        #expect(orchestration.modules.isSubset(of: Self.systems.union([Self.core, "SecretPipeline"])),
                "Orchestration depends on \(orchestration.modules.sorted())")
        for target in targets.values where target.type != "test" {
            #expect(!target.modules.contains("SprocketTestSupport") || target.name == "SprocketTestSupport",
                    "\(target.name) ships and depends on SprocketTestSupport")
            #expect(!target.modules.contains("SprocketCLI") || target.name == "sprocketctl", "\(target.name) depends on the CLI")
        }
    }

    @Test("every import names the toolchain or a module the target declares in Package.swift")
    func importsAreDeclared() throws {
        let targets = try Self.targets()
        var undeclared: [String] = []
        for target in targets.values {
            let folder = Self.packageRoot.appendingPathComponent(target.type == "test" ? "Tests" : "Sources").appendingPathComponent(target.name)
            let allowed = target.modules.union(target.products).union(Self.toolchain).union([target.name])
            guard let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { continue }
            for case let file as URL in files where file.pathExtension == "swift" {
                let text = try String(contentsOf: file, encoding: .utf8)
                for module in Self.imports(in: text) where !allowed.contains(module) {
                    undeclared.append("\(file.path.replacingOccurrences(of: Self.packageRoot.path + "/", with: "")): import \(module)")
                }
            }
        }
        #expect(undeclared.isEmpty, "declare these in Package.swift or drop the import:\n\(undeclared.sorted().joined(separator: "\n"))")
    }

    /// The modules a file imports: `import X`, `@testable import X`, `import struct X.Y`, `@preconcurrency import X`.
    /// An import starts its line; an indented one is text inside a string (a script a test writes).
    static func imports(in text: String) -> Set<String> {
        let attributes: Set<String> = ["@testable", "@preconcurrency", "@_exported", "@_implementationOnly"]
        var modules: Set<String> = []
        for line in text.split(separator: "\n") where !(line.first?.isWhitespace ?? true) {
            var words = line.split(separator: " ").map(String.init)
            while let first = words.first, attributes.contains(first) { words.removeFirst() }
            guard words.first == "import", words.count >= 2 else { continue }
            let kinds: Set<String> = ["struct", "class", "enum", "protocol", "func", "var", "let", "typealias"]
            let path = kinds.contains(words[1]) && words.count >= 3 ? words[2] : words[1]
            if let module = path.split(separator: ".").first { modules.insert(String(module)) }
        }
        return modules
    }
}
