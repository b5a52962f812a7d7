import Foundation
import SprocketTestSupport
import Testing
import Vault

/// The same raw HTTP exchanges, from an uninitialised server to a sealed one, sent to the emulator and to a real
/// OpenBao; each answer's status, error messages, warnings and JSON key sets must agree. Where they did not,
/// OpenBao won and the emulator was fixed (docs/openbao.md lists each one). This keeps the emulator, which the
/// fault tests still use, honest at the wire level, below what the client smooths over.
@Suite("Vault wire conformance: the emulator answers as real OpenBao does")
struct VaultWireConformanceTests {
    @Test("the lifecycle script gets the same statuses, errors and shapes from the emulator as from OpenBao (real OpenBao)")
    func emulatorMatchesOpenBao() async throws {
        let emulator = try await VaultEmulator.start()
        let openBao: OpenBaoServer
        do {
            openBao = try await OpenBaoServer.start()
        } catch {
            await emulator.shutdown()
            throw error
        }
        do {
            let expected = try await WireScript.run(against: openBao)
            let actual = try await WireScript.run(against: emulator)
            #expect(expected.count == actual.count, "both ran the whole script")
            for (real, emulated) in zip(expected, actual) {
                #expect(emulated == real, "OpenBao answered\n\(real)\nthe emulator answered\n\(emulated)")
            }
        } catch {
            Issue.record("OpenBao's log:\n\(openBao.logTail())")
            await emulator.shutdown()
            await openBao.shutdown()
            throw error
        }
        await emulator.shutdown()
        await openBao.shutdown()
    }
}

/// The scripted exchanges and how their answers are reduced to what must match.
enum WireScript {
    /// Runs the script against one server and returns one line per exchange.
    static func run(against server: any VaultTestServer) async throws -> [String] {
        var answers: [String] = []
        let address = server.address
        @discardableResult
        func send(_ label: String, _ method: String, _ path: String, body: String? = nil, token: String? = nil,
                  statusOnly: Bool = false) async throws -> RawExchange {
            let raw = try await rawRequest(method, address, path, body: body, token: token.map(VaultSecretString.init))
            answers.append("\(label): " + (statusOnly ? "\(raw.status)" : reduce(raw)))
            return raw
        }

        try await send("health before init", "GET", "/v1/sys/health")
        try await send("seal-status before init", "GET", "/v1/sys/seal-status")
        let initialized = try await send("init", "PUT", "/v1/sys/init", body: #"{"secret_shares":3,"secret_threshold":2}"#)
        let keys = initialized.json?["keys"] as? [String] ?? []
        let root = initialized.json?["root_token"] as? String ?? ""
        #expect(keys.count == 3 && root.hasPrefix("s."), "\(server.backend): init handed out 3 shares and an s. token")
        try await send("second init", "PUT", "/v1/sys/init", body: #"{"secret_shares":3,"secret_threshold":2}"#)
        try await send("health sealed", "GET", "/v1/sys/health")
        try await send("sealed read", "GET", "/v1/sys/mounts", token: root)
        try await send("unseal bad encoding", "PUT", "/v1/sys/unseal", body: #"{"key":"zz"}"#)
        try await send("unseal no key", "PUT", "/v1/sys/unseal", body: "{}")
        for index in 0..<2 { try await send("wrong share \(index + 1)", "PUT", "/v1/sys/unseal", body: #"{"key":"\#(randomShare())"}"#) }
        try await send("seal-status after wrong shares", "GET", "/v1/sys/seal-status")
        try await send("share 1", "PUT", "/v1/sys/unseal", body: #"{"key":"\#(keys.first ?? "")"}"#)
        try await send("share 1 again", "PUT", "/v1/sys/unseal", body: #"{"key":"\#(keys.first ?? "")"}"#)
        try await send("reset", "PUT", "/v1/sys/unseal", body: #"{"reset":true}"#)
        for (index, key) in keys.prefix(2).enumerated() {
            try await send("share \(index + 1) of 2", "PUT", "/v1/sys/unseal", body: #"{"key":"\#(key)"}"#)
        }
        try await waitActive(address)
        try await send("health active", "GET", "/v1/sys/health")
        try await send("health head", "HEAD", "/v1/sys/health")
        try await send("health bad code", "GET", "/v1/sys/health?sealedcode=abc")
        try await send("reset while unsealed", "PUT", "/v1/sys/unseal", body: #"{"reset":true}"#, statusOnly: true)

        let kv = #"{"type":"kv","options":{"version":"2"}}"#
        try await send("mount kv-v2", "POST", "/v1/sys/mounts/wire", body: kv, token: root)
        try await waitForKV(address, mount: "wire", token: root)
        try await send("mount again", "POST", "/v1/sys/mounts/wire", body: kv, token: root)
        try await send("tune", "GET", "/v1/sys/mounts/wire/tune", token: root)
        try await send("write cas 0", "POST", "/v1/wire/data/a/b", body: #"{"data":{"k":"v"},"options":{"cas":0}}"#, token: root)
        try await send("write cas 0 again", "POST", "/v1/wire/data/a/b", body: #"{"data":{"k":"w"},"options":{"cas":0}}"#, token: root)
        try await send("read", "GET", "/v1/wire/data/a/b", token: root)
        try await send("read missing", "GET", "/v1/wire/data/missing", token: root)
        try await send("list", "LIST", "/v1/wire/metadata/a", token: root)
        try await send("list empty", "LIST", "/v1/wire/metadata/nothing", token: root)
        try await send("metadata", "GET", "/v1/wire/metadata/a/b", token: root)
        try await send("delete latest", "DELETE", "/v1/wire/data/a/b", token: root)
        try await send("read deleted", "GET", "/v1/wire/data/a/b", token: root)
        try await send("no handler", "GET", "/v1/nomount/x", token: root)
        try await send("no token", "GET", "/v1/wire/data/a/b")
        try await send("unknown token", "GET", "/v1/wire/data/a/b", token: "s.AAAAAAAAAAAAAAAAAAAAAAAA")

        let policy = #"{"policy":"path \"wire/data/*\" { capabilities = [\"read\"] }"}"#
        try await send("policy write", "PUT", "/v1/sys/policies/acl/wire-read", body: policy, token: root)
        try await send("policy bad hcl", "PUT", "/v1/sys/policies/acl/bad", body: #"{"policy":"path \"x\" {"}"#, token: root, statusOnly: true)
        try await send("policy read", "GET", "/v1/sys/policies/acl/wire-read", token: root)
        try await send("policy read missing", "GET", "/v1/sys/policies/acl/missing", token: root)
        try await send("policy list", "LIST", "/v1/sys/policies/acl", token: root)
        try await send("legacy policy list", "GET", "/v1/sys/policy", token: root)

        let created = try await send(
            "token create", "POST", "/v1/auth/token/create",
            body: #"{"policies":["wire-read"],"ttl":"10s","explicit_max_ttl":"5s","display_name":"wire","meta":{"a":"b"}}"#, token: root)
        let auth = created.json?["auth"] as? [String: Any]
        let scoped = auth?["client_token"] as? String ?? ""
        #expect(scoped.hasPrefix("s."), "\(server.backend): service tokens start s.")
        try await send("token create missing policy", "POST", "/v1/auth/token/create", body: #"{"policies":["nope"],"ttl":"1h"}"#, token: root)
        try await send("lookup-self", "GET", "/v1/auth/token/lookup-self", token: scoped)
        try await send("scoped write denied", "POST", "/v1/wire/data/a/b", body: #"{"data":{"k":"x"}}"#, token: scoped)
        try await send("lookup bad accessor", "POST", "/v1/auth/token/lookup-accessor", body: #"{"accessor":"nope"}"#, token: root)
        try await send("revoke bad accessor", "POST", "/v1/auth/token/revoke-accessor", body: #"{"accessor":"nope"}"#, token: root)
        try await send("revoke-self", "POST", "/v1/auth/token/revoke-self", token: scoped)
        try await send("revoked token", "GET", "/v1/auth/token/lookup-self", token: scoped)

        try await send("seal", "PUT", "/v1/sys/seal", token: root)
        try await send("read after seal", "GET", "/v1/wire/data/a/b", token: root)
        try await send("seal-status sealed", "GET", "/v1/sys/seal-status")
        return answers
    }

    /// Status, `errors` verbatim, `warnings` verbatim, and the key sets of the body, its `data` and its `auth`.
    /// Values such as IDs and times differ by nature; messages and shapes must not.
    static func reduce(_ raw: RawExchange) -> String {
        guard let json = raw.json else { return "\(raw.status) body=\(raw.body.isEmpty ? "empty" : "not JSON")" }
        var parts = ["\(raw.status)"]
        if let errors = json["errors"] { parts.append("errors=\(errors)") }
        if let warnings = json["warnings"] as? [String] { parts.append("warnings=\(warnings)") }
        parts.append("keys=\(json.keys.sorted())")
        for nested in ["data", "auth"] {
            if let object = json[nested] as? [String: Any] { parts.append("\(nested)=\(object.keys.sorted())") }
        }
        if let sealed = json["sealed"] as? Bool { parts.append("sealed=\(sealed)") }
        if let progress = json["progress"] as? Int { parts.append("progress=\(progress)") }
        return parts.joined(separator: " ")
    }

    /// A share-sized random key (33 bytes, hex), from no server at all.
    static func randomShare() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<33).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// Waits until a fresh kv-v2 mount serves: OpenBao answers 400 "Upgrading from non-versioned to versioned
    /// data" for about 0.1 s after the mount (the emulator serves at once). Not part of the compared answers.
    static func waitForKV(_ address: String, mount: String, token: String) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while try await rawRequest("GET", address, "/v1/\(mount)/config", token: VaultSecretString(token)).status != 200 {
            guard ContinuousClock.now < deadline else { throw OpenBaoServerError("\(mount)/ did not serve in 30 s") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Waits for 200 on `sys/health` (OpenBao answers 429 while raft elects it, right after the unseal).
    static func waitActive(_ address: String) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while try await rawRequest("GET", address, "/v1/sys/health").status != 200 {
            guard ContinuousClock.now < deadline else { throw OpenBaoServerError("\(address) did not become active in 30 s") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
