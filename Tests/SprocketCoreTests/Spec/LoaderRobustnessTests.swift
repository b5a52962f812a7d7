import Testing
@testable import SprocketCore

/// The loader turns every kind of bad input into diagnostics, never a crash, and reports all problems
/// of all files in one go.
@Suite("Loader robustness")
struct LoaderRobustnessTests {
    @Test("a spec with errors in several files reports all of them at once, in file order")
    func severalErrors() throws {
        let spec = try TemporarySpec([
            "stack.yaml": "stack: demo\nsettings:\n  tag: 1\nlayers: [edge, app]\nlayer: x\n",
            "edge.yaml": "networks:\n  front: {}\nservices:\n  proxy:\n    imgae: nginx\n    ports: [\"127.0.0.1:80:80\"]\n",
            "app.yaml": "needs: [edge]\nservices:\n  web:\n    image: web:${tagg}\n    networks: [frnt]\n    deploy: {replicas: many, mode: global}\n",
        ])
        defer { spec.remove() }
        let diagnostics = spec.diagnostics()
        let summary = diagnostics.map { "\($0.location.file):\($0.location.line)" }
        #expect(summary == [
            "stack.yaml:5",  // unknown key `layer`
            "edge.yaml:4",  // proxy has no image (after `imgae`)
            "edge.yaml:5",  // unknown key `imgae`
            "edge.yaml:6",  // host address
            "app.yaml:4",  // undefined setting
            "app.yaml:5",  // undefined network
            "app.yaml:6",  // replicas: many
        ], "\(diagnostics.map(\.description).joined(separator: "\n"))")
        #expect(diagnostics.first { $0.message.contains("frnt") }?.hint == "did you mean `front`?")
    }

    @Test("a repeated key is reported where it repeats, and the rest of the file is still checked")
    func duplicateKeys() throws {
        let spec = try TemporarySpec([
            "app.yaml": """
                services:
                  web:
                    image: nginx
                    image: httpd
                    image: caddy
                    deploy: {replicas: 1, replicas: 2}
                  web:
                    image: other
                    imgae: typo
                """,
        ].merging(["stack.yaml": MalformedSpecCase.defaultStack]) { $1 })
        defer { spec.remove() }
        let duplicates = spec.diagnostics().filter { $0.message.hasPrefix("duplicate key") }.map { "\($0.location.line):\($0.location.column) \($0.message)" }
        #expect(duplicates == [
            "4:5 duplicate key `image` in service `web`",
            "5:5 duplicate key `image` in service `web`",
            "6:27 duplicate key `replicas` in `deploy`",
            "7:3 duplicate key `web` in `services`",
        ])
        #expect(throws: SpecError.self) { try spec.load() }
    }

    @Test("a file that is not UTF-8 is reported at its first bad byte")
    func invalidUTF8() throws {
        let spec = try TemporarySpec(["stack.yaml": MalformedSpecCase.defaultStack])
        defer { spec.remove() }
        try spec.write(Array("services:\n  web:\n    image: ngi".utf8) + [0xFF, 0xFE] + Array("nx\n".utf8), to: "app.yaml")
        let diagnostic = try #require(spec.diagnostics().first)
        #expect(diagnostic.message == "layer file `app.yaml` is not valid UTF-8")
        #expect(diagnostic.location == SourceLocation(file: "app.yaml", line: 3, column: 15))
    }

    @Test("an empty or comment-only layer file is a warning; an empty stack file is an error", arguments: ["", "# nothing yet\n"])
    func emptyFiles(text: String) throws {
        let spec = try TemporarySpec(["stack.yaml": MalformedSpecCase.defaultStack, "app.yaml": text, "empty/stack.yaml": text])
        defer { spec.remove() }
        let stack = try spec.load()
        #expect(stack.warnings.map(\.message) == ["the file of layer `app` is empty"])
        #expect(spec.diagnostics("empty").map(\.message) == ["`empty/stack.yaml` is empty"])
    }

    @Test("garbage never crashes the loader", arguments: [
        "[", "{", ":", "- - -", "\t", "key: [1, 2", "*undefined", "!!binary foo", "? [a]\n: b", "<<: 5", "---\na: 1\n---\nb: 2\n",
        "\u{0}", "42", "services: 5", "services: [a]", "services:\n  web: [1]", "services:\n  web:\n    ports: [{}]",
        "services:\n  web:\n    deploy: [1]", "layers: 5", "stack: [x]", "&a [*a]", "a: &x 1\nb: *x\nc: *x", "services:\n  \"\": {}",
        "services:\n  web:\n    command: {}", "services:\n  web:\n    environment: 5", "services:\n  web:\n    volumes: [{type: nope}]",
        "services:\n  web:\n    healthcheck: {test: []}", "configs:\n  c: {template_content: \"{{\"}", "secrets:\n  s: {generate: {length: x}}",
        "needs: {a: b}", "timeout: []", "services:\n  web:\n    ulimits: {nofile: {soft: 1}}", "services:\n  web:\n    image: \"${\"",
    ])
    func garbage(text: String) throws {
        let spec = try TemporarySpec(["stack.yaml": MalformedSpecCase.defaultStack, "app.yaml": text, "alone/stack.yaml": text])
        defer { spec.remove() }
        let layerDiagnostics = spec.diagnostics()
        let stackDiagnostics = spec.diagnostics("alone")
        #expect(stackDiagnostics.contains { $0.severity == .error })
        #expect((layerDiagnostics + stackDiagnostics).allSatisfy { $0.hint != nil })
    }

    @Test("a missing path, a folder without a spec, and a file that is neither format are errors")
    func badPaths() throws {
        let spec = try TemporarySpec(["empty/readme.txt": "hello", "other.yaml": "name: x\n"])
        defer { spec.remove() }
        #expect(spec.diagnostics("nope").map(\.message) == ["`nope` does not exist"])
        #expect(spec.diagnostics("empty").map(\.message) == ["`empty` has no stack.yaml or Compose file"])
        #expect(spec.diagnostics().map(\.message) == ["the current folder has no stack.yaml or Compose file"])
        #expect(spec.diagnostics("other.yaml").first?.message == "`other.yaml` is neither a stack file nor a Compose file")
    }

    @Test("without a path the current folder is used, and a short layer entry finds `<name>.yml`")
    func currentFolder() throws {
        let spec = try TemporarySpec(["stack.yaml": "stack: here\nlayers: [app]\n", "app.yml": "services:\n  web:\n    image: nginx\n"])
        defer { spec.remove() }
        let stack = try spec.load()
        #expect(stack.name == "here")
        #expect(stack.location.file == "stack.yaml")
        #expect(stack.service("web")?.location == SourceLocation(file: "app.yml", line: 2, column: 3))
    }

    @Test("a Mustache error in a template file points into the template")
    func templateFileError() throws {
        let spec = try TemporarySpec([
            "stack.yaml": MalformedSpecCase.defaultStack,
            "app.yaml": "configs:\n  page:\n    template: templates/page.mustache\n",
            "templates/page.mustache": "line one\n{{#items}}\nunclosed\n",
        ])
        defer { spec.remove() }
        let diagnostic = try #require(spec.diagnostics().first)
        #expect(diagnostic.message.hasPrefix("invalid Mustache template"))
        #expect(diagnostic.location.file == "templates/page.mustache" && diagnostic.location.line >= 2)
    }
}
