import SprocketCore
import SprocketTestSupport
import Testing
import Vault

@Suite("Vault ACL policies, enforced by the emulator and by real OpenBao (docs/wire-formats.md §1.8)")
struct VaultPolicyTests {
    /// A Vault with `platform` and `infrastructure` mounts, a secret in each, and a `platform-read` policy. On
    /// OpenBao each test has a server of its own: these tests list every policy and use fixed mount names.
    private func withTwoMounts(_ backend: VaultTestBackend, _ body: (UnsealedVault) async throws -> Void) async throws {
        try await withUnsealedVault(backend, fresh: true) { vault in
            for mount in ["platform", "infrastructure"] {
                try await vault.client.enableKVVersion2(at: mount)
                try await vault.client.writeSecret(
                    VaultSecretData(["password": VaultSecretString("pw-\(mount)")]),
                    at: try VaultKVPath(mount: mount, path: "prod/db"))
            }
            let document = VaultPolicyDocument(kvRules: [
                try VaultKVPolicyRule(logicalPattern: "platform/*", access: [.read, .list])
            ])
            try await vault.client.writePolicy(named: "platform-read", document: document)
            try await body(vault)
        }
    }

    @Test("a platform-scoped token reads platform/… and is denied infrastructure/… with an error naming the path (emulator)")
    func platformTokenIsScopedEmulator() async throws { try await platformTokenIsScoped(.emulator) }

    @Test("a platform-scoped token reads platform/… and is denied infrastructure/… with an error naming the path (real OpenBao)")
    func platformTokenIsScopedOpenBao() async throws { try await platformTokenIsScoped(.openBao) }

    private func platformTokenIsScoped(_ backend: VaultTestBackend) async throws {
        try await withTwoMounts(backend) { vault in
            let token = try await vault.client.createToken(
                VaultTokenRequest(policies: ["platform-read"], ttl: .seconds(3600), displayName: "platform"))
            #expect(token.policies == ["default", "platform-read"])
            try await vault.withClient(token: token.clientToken) { platform in
                let read = try await platform.readSecret(at: try VaultKVPath(mount: "platform", path: "prod/db"))
                #expect(read.data["password"]?.unredactedValue == "pw-platform")
                #expect(try await platform.listSecrets(at: try VaultKVPath(mount: "platform", path: "prod")) == ["db"])
                do {
                    _ = try await platform.readSecret(at: try VaultKVPath(mount: "infrastructure", path: "prod/db"))
                    Issue.record("a platform token read infrastructure/")
                } catch let error as VaultClientError {
                    guard case .permissionDenied(let method, let path, let messages) = error else { throw error }
                    #expect(method == "GET" && path == "infrastructure/data/prod/db")
                    #expect(messages == ["permission denied"], "the multierror wrapper is unwrapped")
                    #expect(error.description.contains("infrastructure/data/prod/db"))
                    #expect(!error.description.contains(token.clientToken.unredactedValue))
                }
                await #expect(throws: VaultClientError.self) {
                    try await platform.writeSecret(VaultSecretData(["x": VaultSecretString("y")]), at: try VaultKVPath(mount: "platform", path: "prod/db"))
                }
            }
        }
    }

    @Test("the wire answer to a denied request is 403 with the real servers' multierror body (emulator)")
    func deniedWireBodyEmulator() async throws { try await deniedWireBody(.emulator) }

    @Test("the wire answer to a denied request is 403 with the real servers' multierror body (real OpenBao)")
    func deniedWireBodyOpenBao() async throws { try await deniedWireBody(.openBao) }

    private func deniedWireBody(_ backend: VaultTestBackend) async throws {
        try await withTwoMounts(backend) { vault in
            let token = try await vault.client.createToken(VaultTokenRequest(policies: ["platform-read"], ttl: .seconds(60)))
            let raw = try await rawRequest("GET", vault.address, "/v1/infrastructure/data/prod/db", token: token.clientToken)
            #expect(raw.status == 403)
            #expect(raw.body == "{\"errors\":[\"1 error occurred:\\n\\t* permission denied\\n\\n\"]}\n")
            #expect(raw.headers["content-type"] == "application/json" && raw.headers["cache-control"] == "no-store")
            let noToken = try await rawRequest("GET", vault.address, "/v1/platform/data/prod/db")
            #expect(noToken.status == 403)
        }
    }

    @Test("deny wins over a broader grant, + matches one segment, and the most specific rule applies (emulator)")
    func denyAndWildcardsEmulator() async throws { try await denyAndWildcards(.emulator) }

    @Test("deny wins over a broader grant, + matches one segment, and the most specific rule applies (real OpenBao)")
    func denyAndWildcardsOpenBao() async throws { try await denyAndWildcards(.openBao) }

    private func denyAndWildcards(_ backend: VaultTestBackend) async throws {
        try await withTwoMounts(backend) { vault in
            let hcl = """
                # everything in platform, except the secrets of prod
                path "platform/data/*" { capabilities = ["read", "create", "update"] }
                path "platform/data/prod/*" { capabilities = ["deny"] }
                path "infrastructure/data/+/db" { capabilities = ["read"] }
                """
            try await vault.client.writePolicy(named: "mixed", hcl: hcl)
            #expect(try await vault.client.readPolicy(named: "mixed") == hcl)
            let token = try await vault.client.createToken(VaultTokenRequest(policies: ["mixed"], ttl: .seconds(60)))
            try await vault.withClient(token: token.clientToken) { mixed in
                try await mixed.writeSecret(VaultSecretData(["a": VaultSecretString("b")]), at: try VaultKVPath(mount: "platform", path: "dev/x"))
                await #expect(throws: VaultClientError.permissionDenied(
                    method: "GET", path: "platform/data/prod/db", messages: ["permission denied"])
                ) { try await mixed.readSecret(at: try VaultKVPath(mount: "platform", path: "prod/db")) }
                #expect(try await mixed.readSecret(at: try VaultKVPath(mount: "infrastructure", path: "prod/db")).metadata.version == 1)
                await #expect(throws: VaultClientError.self) {
                    try await mixed.readSecret(at: try VaultKVPath(mount: "infrastructure", path: "a/b/db"))
                }
            }
        }
    }

    @Test("policies are listed, read and deleted; root cannot be changed and bad HCL is 400 (emulator)")
    func policyCRUDEmulator() async throws { try await policyCRUD(.emulator) }

    @Test("policies are listed, read and deleted; root cannot be changed and bad HCL is 400 (real OpenBao)")
    func policyCRUDOpenBao() async throws { try await policyCRUD(.openBao) }

    private func policyCRUD(_ backend: VaultTestBackend) async throws {
        try await withTwoMounts(backend) { vault in
            #expect(try await vault.client.listPolicies() == ["default", "platform-read", "root"])
            let stored = try await vault.client.readPolicy(named: "platform-read")
            let text = try #require(stored)
            #expect(text.contains("path \"platform/data/*\"") && text.contains("path \"platform/metadata/*\""))
            try await vault.client.deletePolicy(named: "platform-read")
            #expect(try await vault.client.readPolicy(named: "platform-read") == nil)
            await #expect(throws: VaultClientError.badRequest(
                method: "PUT", path: "sys/policies/acl/root", messages: ["cannot update \"root\" policy"])
            ) { try await vault.client.writePolicy(named: "root", hcl: #"path "x" { capabilities = ["read"] }"#) }
            // OpenBao checks for an empty text first, whatever the name.
            await #expect(throws: VaultClientError.badRequest(
                method: "PUT", path: "sys/policies/acl/root", messages: ["'policy' parameter not supplied or empty"])
            ) { try await vault.client.writePolicy(named: "root", hcl: "") }
            await #expect(throws: VaultClientError.self) {
                try await vault.client.writePolicy(named: "bad", hcl: #"path "x" { capabilities = ["fly"] }"#)
            }
        }
    }
}

@Suite("Vault KV v2 policy paths are derived, never typed")
struct VaultKVPathTests {
    @Test("data, metadata, delete, undelete and destroy paths of a logical path")
    func derivedPaths() throws {
        let secret = try VaultKVPath(mount: "/platform/", path: "/prod/oauth/google")
        #expect(secret.dataPath == "platform/data/prod/oauth/google")
        #expect(secret.metadataPath == "platform/metadata/prod/oauth/google")
        #expect(secret.deletePath == "platform/delete/prod/oauth/google")
        #expect(secret.undeletePath == "platform/undelete/prod/oauth/google")
        #expect(secret.destroyPath == "platform/destroy/prod/oauth/google")
        #expect(secret.description == "platform/prod/oauth/google")
        #expect(try VaultKVPath(logical: "platform/prod/db") == VaultKVPath(mount: "platform", path: "prod/db"))
    }

    @Test("an API path where a logical path belongs is refused", arguments: ["data/prod/db", "metadata/x", "../x"])
    func refusesAPIPaths(path: String) {
        #expect(throws: VaultPathError.self) { try VaultKVPath(mount: "platform", path: path) }
    }

    @Test("a rule on platform/* expands to data/ and metadata/ rules with the right capabilities")
    func ruleExpansion() throws {
        let read = try VaultKVPolicyRule(logicalPattern: "platform/*", access: [.read, .list])
        #expect(read.pathRules == [
            VaultPolicyPathRule(path: "platform/data/*", capabilities: [.read]),
            VaultPolicyPathRule(path: "platform/metadata/*", capabilities: [.read, .list]),
        ])
        let write = try VaultKVPolicyRule(mount: "infrastructure", pattern: "prod/*", access: [.write, .delete])
        #expect(write.pathRules.map(\.path) == [
            "infrastructure/data/prod/*", "infrastructure/delete/prod/*", "infrastructure/undelete/prod/*",
        ])
        let denied = try VaultKVPolicyRule(mount: "platform", pattern: "secret", access: [.read, .deny])
        #expect(denied.pathRules.allSatisfy { $0.capabilities == [.deny] } && denied.pathRules.count == 5)
        let document = VaultPolicyDocument(kvRules: [read], pathRules: [
            VaultPolicyPathRule(path: "auth/token/renew-self", capabilities: [.update])
        ])
        #expect(document.hcl == """
            path "platform/data/*" {
              capabilities = ["read"]
            }

            path "platform/metadata/*" {
              capabilities = ["read", "list"]
            }

            path "auth/token/renew-self" {
              capabilities = ["update"]
            }

            """)
        #expect(throws: VaultPathError.noCapabilities(path: "platform/x")) {
            try VaultKVPolicyRule(mount: "platform", pattern: "x", access: [])
        }
    }
}
