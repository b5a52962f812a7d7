import SprocketCore
import SprocketTestSupport
import Testing

@Suite("secrets: `local:` source in a layer")
struct LocalSecretSpecTests {
    static func load(_ secrets: String) throws -> StackSpec {
        let folder = try TemporaryDirectory(prefix: "local-secret-spec")
        defer { folder.remove() }
        try folder.write("stack.yaml", "stack: v\nlayers: [app]\n")
        try folder.write("app.yaml", "secrets:\n" + secrets + "services:\n  web:\n    image: example/web\n")
        return try SpecLoader(processEnvironment: [:]).load(path: folder.path, environment: nil)
    }

    @Test("`local: true`, `local: NAME` and `source: local` name the store entry", arguments: [
        ("  api:\n    local: true\n", "api"),
        ("  api:\n    local: API_KEY\n", "API_KEY"),
        ("  api:\n    source: local\n", "api"),
    ])
    func parses(yaml: String, storeName: String) throws {
        let secret = try #require(try Self.load(yaml).layers.first?.secrets.first)
        #expect(secret.source == .local(name: storeName))
        #expect(secret.source.usesSealedStore)
    }

    @Test("errors name the line", arguments: [
        ("  api:\n    source: vault\n", "app.yaml:3", "unknown secret source `vault`"),
        ("  api:\n    local: false\n", "app.yaml:3", "`local: false`"),
        ("  api:\n    local: bad/name\n", "app.yaml:2", "invalid local secret"),
        ("  api:\n    local: true\n    file: ./x\n", "app.yaml:2", "needs exactly one of"),
    ])
    func errors(yaml: String, position: String, message: String) throws {
        let error = #expect(throws: SpecError.self) { try Self.load(yaml) }
        let text = String(describing: error)
        #expect(text.contains(position) && text.contains(message), "\(text)")
    }
}
