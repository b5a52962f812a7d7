import Foundation
import SprocketCore
import SprocketTestSupport
import Testing
import Vault

@Suite("Vault wire format on the emulator and real OpenBao: envelopes, headers and 204s (docs/wire-formats.md §1.0, §5)", .sharedOpenBao)
struct VaultEmulatorWireTests {
    static let envelopeKeys: Set = [
        "request_id", "lease_id", "renewable", "lease_duration", "data", "wrap_info", "warnings", "auth",
    ]

    @Test("a KV read has the full envelope with nulls, a trailing newline and the standard headers (emulator)")
    func kvReadEnvelopeEmulator() async throws { try await kvReadEnvelope(.emulator) }

    @Test("a KV read has the full envelope with nulls, a trailing newline and the standard headers (real OpenBao)")
    func kvReadEnvelopeOpenBao() async throws { try await kvReadEnvelope(.openBao) }

    private func kvReadEnvelope(_ backend: VaultTestBackend) async throws {
        try await withUnsealedVault(backend) { vault in
            let platform = uniqueMount("platform")
            try await vault.client.enableKVVersion2(at: platform)
            try await vault.client.writeSecret(VaultSecretData(["target": VaultSecretString("x")]), at: try VaultKVPath(mount: platform, path: "a"))
            let raw = try await rawRequest("GET", vault.address, "/v1/\(platform)/data/a", token: vault.rootToken)
            #expect(raw.status == 200 && raw.body.hasSuffix("}\n"))
            #expect(raw.headers["content-type"] == "application/json" && raw.headers["cache-control"] == "no-store")
            let json = try #require(raw.json)
            #expect(Set(json.keys) == Self.envelopeKeys)
            #expect(json["wrap_info"] is NSNull && json["warnings"] is NSNull && json["auth"] is NSNull)
            #expect(json["lease_id"] as? String == "" && json["mount_type"] == nil, "OpenBao sends no mount_type")
            let metadata = try #require((json["data"] as? [String: Any])?["metadata"] as? [String: Any])
            #expect(Set(metadata.keys) == ["version", "created_time", "deletion_time", "destroyed", "custom_metadata"])
            #expect(metadata["custom_metadata"] is NSNull && metadata["deletion_time"] as? String == "")
        }
    }

    @Test("writes without a body answer 204 with no body", arguments: [
        ("POST", "/v1/sys/mounts/kv2", #"{"type":"kv","options":{"version":"2"}}"#),
        ("PUT", "/v1/sys/policies/acl/p", #"{"policy":"path \"kv2/data/*\" { capabilities = [\"read\"] }"}"#),
        ("DELETE", "/v1/sys/policies/acl/p", nil),
        ("POST", "/v1/kv2/config", #"{"max_versions":4}"#),
    ])
    func noContent(method: String, path: String, body: String?) async throws {
        try await withUnsealedVault { vault in
            if !path.hasPrefix("/v1/sys/mounts") { try await vault.client.enableKVVersion2(at: "kv2") }
            let raw = try await rawRequest(method, vault.address, path, body: body, token: vault.rootToken)
            #expect(raw.status == 204 && raw.body.isEmpty)
        }
    }

    @Test("sys/mounts and the legacy sys/policy repeat data at the top level; sys/policies/acl does not (emulator)")
    func sysInjectionEmulator() async throws { try await sysInjection(.emulator) }

    @Test("sys/mounts and the legacy sys/policy repeat data at the top level; sys/policies/acl does not (real OpenBao)")
    func sysInjectionOpenBao() async throws { try await sysInjection(.openBao) }

    private func sysInjection(_ backend: VaultTestBackend) async throws {
        try await withUnsealedVault(backend) { vault in
            let policy = uniqueMount("p")
            try await vault.client.writePolicy(named: policy, hcl: #"path "a/*" { capabilities = ["read"] }"#)
            let acl = try #require(try await rawRequest("GET", vault.address, "/v1/sys/policies/acl/\(policy)", token: vault.rootToken).json)
            #expect(acl["name"] == nil && (acl["data"] as? [String: Any])?["name"] as? String == policy)
            #expect((acl["data"] as? [String: Any])?["policy"] as? String == #"path "a/*" { capabilities = ["read"] }"#)
            let legacy = try #require(try await rawRequest("GET", vault.address, "/v1/sys/policy/\(policy)", token: vault.rootToken).json)
            #expect(legacy["name"] as? String == policy && legacy["rules"] as? String == #"path "a/*" { capabilities = ["read"] }"#)
            let mounts = try #require(try await rawRequest("GET", vault.address, "/v1/sys/mounts", token: vault.rootToken).json)
            #expect(mounts["sys/"] != nil && (mounts["data"] as? [String: Any])?["sys/"] != nil)
            try await vault.client.deletePolicy(named: policy)
        }
    }

    @Test("token create answers an auth block with every field and warnings only when there are some (emulator)")
    func tokenCreateBodyEmulator() async throws { try await tokenCreateBody(.emulator) }

    @Test("token create answers an auth block with every field and warnings only when there are some (real OpenBao)")
    func tokenCreateBodyOpenBao() async throws { try await tokenCreateBody(.openBao) }

    private func tokenCreateBody(_ backend: VaultTestBackend) async throws {
        try await withUnsealedVault(backend) { vault in
            let raw = try await rawRequest(
                "POST", vault.address, "/v1/auth/token/create", body: #"{"policies":["default"],"ttl":"1h"}"#,
                token: vault.rootToken)
            let json = try #require(raw.json)
            #expect(json["warnings"] is NSNull && json["data"] is NSNull)
            let auth = try #require(json["auth"] as? [String: Any])
            #expect(Set(auth.keys).isSuperset(of: [
                "client_token", "accessor", "policies", "token_policies", "metadata", "lease_duration", "renewable",
                "entity_id", "token_type", "orphan",
            ]))
            #expect(auth["lease_duration"] as? Int == 3600 && auth["token_type"] as? String == "service")
        }
    }

    @Test("unseal matches its JSON keys case-insensitively, as Vault's untagged struct does")
    func unsealKeyCase() async throws {
        try await withFreshVault { emulator, client in
            let result = try await client.initialize(shares: 1, threshold: 1)
            let raw = try await rawRequest(
                "PUT", emulator.address, "/v1/sys/unseal", body: #"{"Key":"\#(result.keys[0].unredactedValue)"}"#)
            #expect(raw.status == 200 && raw.json?["sealed"] as? Bool == false)
        }
    }

    @Test("unsupported methods on sys endpoints are 405 (emulator)")
    func methodNotAllowedEmulator() async throws { try await methodNotAllowed(.emulator) }

    @Test("unsupported methods on sys endpoints are 405 (real OpenBao)")
    func methodNotAllowedOpenBao() async throws { try await methodNotAllowed(.openBao) }

    private func methodNotAllowed(_ backend: VaultTestBackend) async throws {
        try await withFreshVault(backend) { emulator, _ in
            let deleteInit = try await rawRequest("DELETE", emulator.address, "/v1/sys/init")
            let getUnseal = try await rawRequest("GET", emulator.address, "/v1/sys/unseal")
            #expect(deleteInit.status == 405 && getUnseal.status == 405)
        }
    }
}
