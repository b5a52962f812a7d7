import Foundation
import Testing
@testable import SprocketCore

/// Files that would make loading run for minutes or take gigabytes (`Spec/Loading/YAMLExpansionGuard.swift`,
/// `YAMLReader.maximumFileBytes`) are rejected at once, whichever file of the spec they are.
@Suite("Spec file limits")
struct SpecFileLimitsTests {
    /// Nine levels of nine aliases to the level before: under 1 KB, 9^9 values once expanded. The level that
    /// crosses the limit is `g` (line 7): the levels before it add about 673,000 values, `g` another 5.4 million.
    static let aliasBomb: String = {
        var lines = ["x-a: &a [" + Array(repeating: "\"lol\"", count: 9).joined(separator: ", ") + "]"]
        for (previous, level) in zip("abcdefgh", "bcdefghi") {
            lines.append("x-\(level): &\(level) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    @Test("the alias bomb is under 1 KB")
    func bombIsSmall() {
        #expect(Self.aliasBomb.utf8.count < 1024)
    }

    @Test("an alias bomb is rejected fast at the line of the alias that crosses the limit, in every kind of spec file",
          arguments: ["app.yaml", "stack.yaml", "compose.yaml"])
    func aliasBomb(file: String) throws {
        let files: [String: String] = switch file {
        case "app.yaml": ["stack.yaml": MalformedSpecCase.defaultStack, "app.yaml": Self.aliasBomb]
        case "stack.yaml": ["stack.yaml": Self.aliasBomb + "stack: demo\nlayers: [app]\n", "app.yaml": "services: {}\n"]
        default: ["compose.yaml": Self.aliasBomb + "services: {}\n"]
        }
        let spec = try TemporarySpec(files)
        defer { spec.remove() }
        // Without the limit this runs for minutes and takes gigabytes: the test would not finish, let alone pass.
        let diagnostics = spec.diagnostics()
        let diagnostic = try #require(diagnostics.first { $0.message.contains("expand to more than 1000000 values") },
                                      "\(diagnostics.map(\.description))")
        #expect(diagnostic.location.file == file && diagnostic.location.line == 7, "\(diagnostic)")
        #expect(diagnostic.hint?.contains("billion laughs") == true)
    }

    @Test("an alias used as a mapping key is rejected before anything hashes what it stands for")
    func aliasAsKey() throws {
        let spec = try TemporarySpec(["stack.yaml": MalformedSpecCase.defaultStack, "app.yaml": Self.aliasBomb + "x-keyed:\n  *i : boom\n"])
        defer { spec.remove() }
        let diagnostics = spec.diagnostics()
        #expect(diagnostics.map(\.description) == ["app.yaml:11:3: error: a mapping key here is an alias (`*name`)\n    hint: write the key as a plain string"],
                "\(diagnostics.map(\.description))")
    }

    @Test("aliases nested deeper than the limit are rejected where the nesting crosses it")
    func deepAliasChain() throws {
        var lines = ["x-0: &l0 [end]"]
        for level in 1...300 { lines.append("x-\(level): &l\(level) [*l\(level - 1)]") }
        let spec = try TemporarySpec(["stack.yaml": MalformedSpecCase.defaultStack, "app.yaml": lines.joined(separator: "\n") + "\n"])
        defer { spec.remove() }
        let diagnostics = spec.diagnostics()
        #expect(diagnostics.contains { $0.message == "`app.yaml` nests more than 256 levels deep (aliases expanded)" && $0.location.file == "app.yaml" },
                "\(diagnostics.map(\.description))")
    }

    @Test("a spec file larger than the limit is rejected before it is read, at its first line")
    func tooLarge() throws {
        let spec = try TemporarySpec(["stack.yaml": MalformedSpecCase.defaultStack])
        defer { spec.remove() }
        let filler = "# " + String(repeating: "x", count: 1021) + "\n"
        try spec.write(Array(("services: {}\n" + String(repeating: filler, count: 8 * 1024)).utf8), to: "app.yaml")
        let diagnostics = spec.diagnostics()
        let diagnostic = try #require(diagnostics.first, "\(diagnostics)")
        #expect(diagnostic.message == "layer file `app.yaml` has 8388621 bytes, more than the 8388608 (8 MiB) a spec file may have")
        #expect(diagnostic.location == SourceLocation(file: "app.yaml", line: 1, column: 1))
    }

    @Test("anchors, aliases and merge keys as real specs use them still load")
    func ordinaryAliases() throws {
        let services = (1...200).map { "  s\($0):\n    <<: *service\n    image: example/s\($0)\n" }.joined()
        let spec = try TemporarySpec([
            "stack.yaml": MalformedSpecCase.defaultStack,
            "app.yaml": "x-service: &service\n  deploy: {replicas: 2, update_config: {parallelism: 1, order: start-first}}\n"
                + "  environment: &env {A: \"1\", B: \"2\"}\nservices:\n" + services,
        ])
        defer { spec.remove() }
        let stack = try spec.load()
        #expect(stack.layers.first?.services.count == 200)
        #expect(stack.service("s200")?.deploy.replicas == 2)
    }
}
