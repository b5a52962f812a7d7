import Testing
@testable import SprocketCore

/// A `file:` that names nothing fails the load (so `validate` and `plan --offline`), naming where it is written,
/// the path it resolved to, and what to do; relative paths start from the folder of the file that declares them.
@Suite("Files a spec names")
struct ReferencedFileTests {
    static let stack = "stack: demo\nlayers:\n  - name: data\n    file: layers/data.yaml\n"
    static let data = "secrets:\n  found:\n    file: keys/found.txt\n  lost:\n    file: keys/lost.txt\n"

    @Test("a secret file resolves from its layer file's folder; one found only next to stack.yaml is reported with its resolved path")
    func resolvedFromTheLayerFolder() throws {
        let spec = try TemporarySpec([
            "stack.yaml": Self.stack, "layers/data.yaml": Self.data,
            "layers/keys/found.txt": "a\n", "keys/lost.txt": "next to stack.yaml, not next to the layer file\n",
        ])
        defer { spec.remove() }
        let diagnostics = spec.diagnostics()
        #expect(diagnostics.count == 1, "\(diagnostics.map(\.description))")
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.location == SourceLocation(file: "layers/data.yaml", line: 5, column: 11))
        #expect(diagnostic.message
            == "the file `layers/keys/lost.txt` of secret `lost` does not exist: nothing at `\(spec.resolved("layers/keys/lost.txt"))`")
        #expect(diagnostic.hint
            == "create the file, or fix the path; a relative path starts from the folder of `layers/data.yaml` (\(spec.resolved("layers")))")
    }

    @Test("the load passes once the file is there, and the secret keeps its absolute path for `up`")
    func passesOnceCreated() throws {
        let spec = try TemporarySpec(["stack.yaml": Self.stack, "layers/data.yaml": Self.data, "layers/keys/found.txt": "a\n"])
        defer { spec.remove() }
        #expect(throws: SpecError.self) { try spec.load() }
        try spec.write(Array("b\n".utf8), to: "layers/keys/lost.txt")
        let secrets = try #require(try spec.load().layers.first?.secrets)
        #expect(secrets.map(\.source) == [.file(path: spec.resolved("layers/keys/found.txt")), .file(path: spec.resolved("layers/keys/lost.txt"))])
    }

    @Test("an absolute path is checked as written, and the hint does not speak of folders")
    func absolutePath() throws {
        let spec = try TemporarySpec([
            "stack.yaml": MalformedSpecCase.defaultStack, "app.yaml": "secrets:\n  key:\n    file: /nonexistent/sprocket/key.txt\n",
        ])
        defer { spec.remove() }
        let diagnostic = try #require(spec.diagnostics().first)
        #expect(diagnostic.message == "the file `/nonexistent/sprocket/key.txt` of secret `key` does not exist: nothing at `/nonexistent/sprocket/key.txt`")
        #expect(diagnostic.hint == "create the file, or fix the path")
    }

    @Test("a config file that does not exist names its resolved path too")
    func configFile() throws {
        let spec = try TemporarySpec(["stack.yaml": MalformedSpecCase.defaultStack, "app.yaml": "configs:\n  c:\n    file: conf/app.json\n"])
        defer { spec.remove() }
        let diagnostic = try #require(spec.diagnostics().first)
        #expect(diagnostic.message == "config file `conf/app.json` does not exist: nothing at `\(spec.resolved("conf/app.json"))`")
        #expect(diagnostic.location == SourceLocation(file: "app.yaml", line: 3, column: 11))
    }
}

extension TemporarySpec {
    /// The absolute path of `path` inside the spec folder, as the loader resolves it.
    func resolved(_ path: String) -> String {
        SpecFiles.absolute(path, from: directory)
    }
}
