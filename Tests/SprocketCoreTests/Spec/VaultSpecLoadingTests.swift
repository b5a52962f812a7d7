import SprocketCore
import SprocketTestSupport
import Testing

@Suite("vault: in stack.yaml")
struct VaultSpecLoadingTests {
    static func load(_ vault: String) throws -> StackSpec {
        let folder = try TemporaryDirectory(prefix: "vault-spec")
        defer { folder.remove() }
        try folder.write("stack.yaml", "stack: v\nlayers: [edge]\n" + vault)
        try folder.write("edge.yaml", "services:\n  web:\n    image: example/web\n")
        return try SpecLoader(processEnvironment: [:]).load(path: folder.path, environment: nil)
    }

    @Test("address, key file and layer are read")
    func reads() throws {
        let stack = try Self.load("vault:\n  address: http://127.0.0.1:8200\n  key_file: ~/keys\n  layer: edge\n")
        #expect(stack.vault?.address == "http://127.0.0.1:8200" && stack.vault?.keyFile == "~/keys" && stack.vault?.layer == "edge")
        #expect(try Self.load("").vault == nil)
    }

    @Test("missing fields, an unknown layer and an unknown key are errors at their line", arguments: [
        ("vault:\n  address: http://127.0.0.1:8200\n", "stack.yaml:4", "needs `address` and `layer`"),
        ("vault:\n  address: http://127.0.0.1:8200\n  layer: data\n", "stack.yaml:4", "`data`, which is not a layer"),
        ("vault:\n  address: http://x\n  layer: edge\n  token: abc\n", "stack.yaml:6", "token"),
    ])
    func errors(vault: String, position: String, message: String) throws {
        let error = #expect(throws: SpecError.self) { try Self.load(vault) }
        let text = String(describing: error)
        #expect(text.contains(position) && text.contains(message), "\(text)")
    }
}
