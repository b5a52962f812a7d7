import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

@testable import SprocketCLI

@Suite("DoctorVaultChecks: KV v1/v2 paths, the key file and the root token")
struct DoctorVaultChecksTests {
    static func stack(_ secrets: String, policies: String = "{}", app: String = DoctorSecretChecksTests.twoServices) throws -> StackSpec {
        try DoctorSpecFixture.load(
            stack: """
                stack: doc
                vault:
                  address: "http://127.0.0.1:8200"
                  layer: edge
                  mounts: [platform]
                  policies: \(policies)
                secrets:
                \(secrets)
                """,
            edge: DoctorSecretChecksTests.vaultLayer, app: app)
    }

    static func checks(_ stack: StackSpec, keyFile: String = "/keys/vault", mode: UInt16? = 0o600, tree: String? = nil) -> DoctorVaultChecks {
        DoctorVaultChecks(stack: stack, keyFile: keyFile, permissions: { $0 == keyFile ? mode : nil }, workTree: { _ in tree })
    }

    @Test("#7: a path on an undeclared mount fails and says which mounts are declared")
    func undeclaredMount() throws {
        let stack = try Self.stack("  jwt: {generate: {length: 32}, vault: \"legacy/prod/jwt\", consumers: [api]}")
        let result = Self.checks(stack).kvPaths()
        #expect(result.status == .fail)
        #expect(result.details.joined().contains("`legacy`, which `vault.mounts` does not declare"), "\(result.details)")
    }

    @Test("#7: a secret's path with data/ or metadata/ does not load: the error is at its line and says the right form", arguments: [
        "platform/data/prod/jwt#value", "platform/metadata/prod/jwt",
    ])
    func apiPrefixRefusedAtLoad(path: String) throws {
        let error = #expect(throws: SpecError.self) {
            try Self.stack("  jwt: {generate: {length: 32}, vault: \"\(path)\", consumers: [api]}")
        }
        let text = String(describing: error)
        #expect(text.contains("stack.yaml:") && text.contains("`platform/prod/jwt#value`"), "\(text)")
    }

    @Test("#7: a policy rule written with data/ fails; logical paths on declared mounts pass")
    func policies() throws {
        let bad = try Self.stack("  jwt: {generate: {length: 32}, vault: \"platform/prod/jwt\", consumers: [api]}",
                                 policies: "{read: [{path: \"platform/data/prod/*\", access: [read]}]}")
        let result = Self.checks(bad).kvPaths()
        #expect(result.status == .fail && result.details.joined().contains("`platform/prod/*`"), "\(result.details)")
        let good = try Self.stack("  jwt: {generate: {length: 32}, vault: \"platform/prod/jwt\", consumers: [api]}",
                                  policies: "{read: [{path: \"platform/prod/*\", access: [read]}]}")
        #expect(Self.checks(good).kvPaths().status == .ok)
    }

    @Test("#1, #2, #5: the key file readable by others, inside a git work tree, or mounted into a service fails; missing warns; private passes")
    func rootCredentials() throws {
        let stack = try Self.stack("  jwt: {generate: {length: 32}, consumers: [api]}")
        #expect(Self.checks(stack, mode: 0o600).rootCredentials().status == .ok)
        let readable = Self.checks(stack, mode: 0o644).rootCredentials()
        #expect(readable.status == .fail && readable.details.first?.contains("mode 644") == true)
        #expect(Self.checks(stack, mode: nil).rootCredentials().status == .warn)
        let committed = Self.checks(stack, tree: "/work/repo").rootCredentials()
        #expect(committed.status == .fail && committed.details.first?.contains("/work/repo") == true)

        let mounting = try Self.stack("  jwt: {generate: {length: 32}, consumers: [api]}",
                                      app: "services:\n  api:\n    image: example/api:1\n    volumes: [\"/keys:/keys:ro\"]\n  worker: {image: example/worker:1}\n")
        let mounted = Self.checks(mounting).rootCredentials()
        #expect(mounted.status == .fail && mounted.details.first?.contains("api bind-mounts /keys") == true, "\(mounted.details)")
    }

    @Test("a stack without `vault:` passes both checks")
    func noVault() throws {
        let stack = try DoctorSpecFixture.load(app: DoctorSecretChecksTests.twoServices)
        #expect(Self.checks(stack, mode: 0o644).all().allSatisfy { $0.status == .ok })
    }
}
