import Foundation
import SprocketCore
import SprocketTestSupport
import Testing
import Vault

@Suite("Vault client configuration, redaction and typed errors", .sharedOpenBao)
struct VaultClientBasicsTests {
    @Test("fromEnvironment reads VAULT_ADDR, VAULT_TOKEN, VAULT_CACERT and VAULT_NAMESPACE; empty values are unset")
    func environment() throws {
        let configuration = try VaultClientConfiguration.fromEnvironment([
            "VAULT_ADDR": "https://vault.example.com:8200/", "VAULT_TOKEN": "hvs.secret-token",
            "VAULT_CACERT": "/etc/ca.pem", "VAULT_NAMESPACE": "",
        ])
        #expect(configuration.address == "https://vault.example.com:8200")
        #expect(configuration.token?.unredactedValue == "hvs.secret-token")
        #expect(configuration.caCertificatePath == "/etc/ca.pem" && configuration.namespace == nil)
        #expect(!configuration.description.contains("hvs.secret-token"))
        #expect(try VaultClientConfiguration.fromEnvironment([:]).address == VaultClientConfiguration.defaultAddress)
        #expect(throws: VaultClientError.self) { try VaultClientConfiguration.fromEnvironment(["VAULT_ADDR": "vault:8200"]) }
    }

    @Test("an unreadable VAULT_CACERT is a configuration error naming the file")
    func missingCA() throws {
        let configuration = try VaultClientConfiguration(
            address: "https://127.0.0.1:8200", caCertificatePath: "/nonexistent/ca.pem")
        let error = #expect(throws: VaultClientError.self) { try VaultClient(configuration: configuration, logger: testLogger) }
        #expect(error?.description.contains("/nonexistent/ca.pem") == true)
    }

    @Test("secrets print as placeholders in descriptions, interpolation and dumps")
    func redaction() {
        let secret = VaultSecretString("hvs.top-secret-value")
        var dumped = ""
        dump(secret, to: &dumped)
        let data = VaultSecretData(["password": secret])
        var dumpedData = ""
        dump(data, to: &dumpedData)
        for text in ["\(secret)", String(describing: secret), String(reflecting: secret), dumped, "\(data)", dumpedData] {
            #expect(!text.contains("top-secret"), "leaked in: \(text)")
        }
        #expect("\(data)" == "<secret data: password>")
    }

    @Test("init results, tokens and errors never show keys or tokens (emulator)")
    func noSecretsInOutputsEmulator() async throws { try await noSecretsInOutputs(.emulator) }

    @Test("init results, tokens and errors never show keys or tokens (real OpenBao)")
    func noSecretsInOutputsOpenBao() async throws { try await noSecretsInOutputs(.openBao) }

    private func noSecretsInOutputs(_ backend: VaultTestBackend) async throws {
        try await withUnsealedVault(backend) { vault in
            let secrets = vault.initResult.keys.map(\.unredactedValue) + [vault.rootToken.unredactedValue]
            let texts = ["\(vault.initResult)", "\(vault.client.configuration)", String(reflecting: vault.initResult)]
            let errorText = try await vault.withClient(token: VaultSecretString("hvs.not-a-real-token")) { denied in
                do {
                    _ = try await denied.lookupSelf()
                    return "no error"
                } catch {
                    return "\(error)"
                }
            }
            #expect(errorText.contains("auth/token/lookup-self"))
            for text in texts + [errorText] {
                for secret in secrets + ["hvs.not-a-real-token"] { #expect(!text.contains(secret)) }
            }
        }
    }

    @Test("Vault's error statuses become typed errors that name the path", arguments: [
        (400, #"{"errors":["invalid request"]}"#, VaultClientError.badRequest(method: "GET", path: "a/metadata/b", messages: ["invalid request"])),
        (403, #"{"errors":["permission denied"]}"#, .permissionDenied(method: "GET", path: "a/metadata/b", messages: ["permission denied"])),
        (404, #"{"errors":[]}"#, .notFound(method: "GET", path: "a/metadata/b")),
        (429, #"{"errors":["rate limit quota exceeded"]}"#, .rateLimited(method: "GET", path: "a/metadata/b", messages: ["rate limit quota exceeded"])),
        (501, #"{"errors":[]}"#, .notInitialized(method: "GET", path: "a/metadata/b")),
        (503, #"{"errors":["Vault is sealed"]}"#, .sealed(method: "GET", path: "a/metadata/b", messages: ["Vault is sealed"])),
        (500, "oops", .unexpected(status: 500, method: "GET", path: "a/metadata/b", messages: [])),
    ])
    func statusMapping(status: Int, body: String, expected: VaultClientError) async throws {
        let server = try await StubHTTPServer.start(on: .tcp()) { _ in .json(body, status: status) }
        let client = try VaultClient(
            configuration: VaultClientConfiguration(address: try #require(server.baseURL), token: VaultSecretString("t")),
            logger: testLogger)
        await #expect(throws: expected) { try await client.readMetadata(at: try VaultKVPath(mount: "a", path: "b")) }
        try await client.shutdown()
        try await server.shutdown()
    }

    @Test("requests carry X-Vault-Token, X-Vault-Namespace and X-Vault-Request; unauthenticated ones no token")
    func headers() async throws {
        let server = try await StubHTTPServer.start(on: .tcp()) { request in
            request.path == "/v1/sys/seal-status"
                ? .json(#"{"sealed":false,"t":1,"n":1,"progress":0}"#) : .json(#"{"data":{"keys":["a"]}}"#)
        }
        let configuration = try VaultClientConfiguration(
            address: try #require(server.baseURL), token: VaultSecretString("hvs.header-token"), namespace: "team-a")
        let client = try VaultClient(configuration: configuration, logger: testLogger)
        _ = try await client.sealStatus()
        _ = try await client.listSecrets(at: try VaultKVPath(mount: "kv", path: "dir"))
        let requests = server.requests
        #expect(requests.count == 2)
        #expect(requests[0].header("X-Vault-Token") == nil)
        #expect(requests[1].header("X-Vault-Token") == "hvs.header-token")
        #expect(requests[1].header("X-Vault-Namespace") == "team-a" && requests[1].header("X-Vault-Request") == "true")
        #expect(requests[1].method == "GET" && requests[1].uri == "/v1/kv/metadata/dir/?list=true")
        try await client.shutdown()
        try await server.shutdown()
    }
}
