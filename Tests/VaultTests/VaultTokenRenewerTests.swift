import Foundation
import SprocketTestSupport
import Testing
import Vault

@Suite("vault renew-tokens: each token renews itself past half its lifetime, and nothing else", .sharedOpenBao)
struct VaultTokenRenewerTests {
    /// Lets `seconds` pass: on the emulator's frozen clock, or for real on OpenBao.
    static func elapse(_ seconds: Double, _ vault: UnsealedVault, _ clock: VaultEmulatorClock) async throws {
        if vault.emulator != nil {
            clock.advance(by: .milliseconds(Int(seconds * 1000)))
        } else {
            try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
        }
    }

    /// How many real seconds one test second is: 1 on the emulator's frozen clock; 5 on real OpenBao, where a
    /// loaded machine can take seconds between two calls and a 6 s token would expire before the test looks at it.
    static func scale(_ vault: UnsealedVault) -> Int { vault.emulator != nil ? 1 : 5 }

    static func withTokenFiles<T: Sendable>(_ tokens: [String: VaultSecretString], _ body: ([(name: String, path: String)]) async throws -> T) async throws -> T {
        let folder = try TemporaryDirectory(prefix: "renewer")
        defer { folder.remove() }
        var files: [(name: String, path: String)] = []
        for (name, token) in tokens.sorted(by: { $0.key < $1.key }) {
            try folder.write(name, token.unredactedValue + "\n")
            files.append((name, "\(folder.path)/\(name)"))
        }
        return try await body(files)
    }

    @Test("a periodic token is left alone while more than half its period remains, then renewed for a full period (emulator)")
    func periodicEmulator() async throws { try await periodic(.emulator) }

    @Test("a periodic token is left alone while more than half its period remains, then renewed for a full period (real OpenBao)")
    func periodicOpenBao() async throws { try await periodic(.openBao) }

    private func periodic(_ backend: VaultTestBackend) async throws {
        let clock = VaultEmulatorClock(frozenAt: Date(timeIntervalSince1970: 1_800_000_000))
        try await withUnsealedVault(backend, clock: clock) { vault in
            let scale = Self.scale(vault)
            let token = try await vault.client.createToken(VaultTokenRequest(policies: [], period: .seconds(6 * scale), orphan: true))
            try await Self.withTokenFiles(["vault-token-app": token.clientToken]) { files in
                try await vault.withClient(token: VaultSecretString("")) { client in
                    let renewer = VaultTokenRenewer(client: client, tokenFiles: files, interval: .seconds(1))
                    let first = await renewer.pass()
                    #expect(first.map(\.kind) == ["fresh"], "\(first)")
                    try await Self.elapse(Double(4 * scale), vault, clock)
                    let second = await renewer.pass()
                    guard case .renewed(let name, let granted) = second.first else {
                        Issue.record("expected a renewal: \(second)")
                        return
                    }
                    #expect(name == "vault-token-app" && granted == .seconds(6 * scale))
                    #expect(!second.description.contains(token.clientToken.unredactedValue), "events name the file, never the token")
                }
            }
            try await vault.withClient(token: token.clientToken) { app in
                let ttl = try await app.lookupSelf().ttl
                #expect(ttl >= 5 * scale, "renewed for a full period")
            }
        }
    }

    @Test("a token at its max TTL is reported capped; a revoked one rejected; a missing file or an unreachable Vault failed (emulator)")
    func problemsEmulator() async throws { try await problems(.emulator) }

    @Test("a token at its max TTL is reported capped; a revoked one rejected; a missing file or an unreachable Vault failed (real OpenBao)")
    func problemsOpenBao() async throws { try await problems(.openBao) }

    private func problems(_ backend: VaultTestBackend) async throws {
        let clock = VaultEmulatorClock(frozenAt: Date(timeIntervalSince1970: 1_800_000_000))
        try await withUnsealedVault(backend, clock: clock) { vault in
            let scale = Self.scale(vault)
            let capped = try await vault.client.createToken(
                VaultTokenRequest(policies: [], ttl: .seconds(6 * scale), explicitMaxTTL: .seconds(8 * scale), orphan: true))
            let revoked = try await vault.client.createToken(VaultTokenRequest(policies: [], ttl: .seconds(600), orphan: true))
            try await vault.client.revoke(token: revoked.clientToken)
            try await Self.withTokenFiles(["a-capped": capped.clientToken, "b-revoked": revoked.clientToken]) { files in
                let withMissing = files + [(name: "c-missing", path: "/nonexistent/vault-token-x")]
                try await Self.elapse(Double(4 * scale), vault, clock)
                try await vault.withClient(token: VaultSecretString("")) { client in
                    let events = await VaultTokenRenewer(client: client, tokenFiles: withMissing, interval: .seconds(1)).pass()
                    #expect(events.map(\.kind) == ["capped", "rejected", "failed"], "\(events)")
                    #expect(events[0].description.contains("the next `sprocketctl up` replaces it"))
                    #expect(events[1].description.contains("the next `sprocketctl up` mints a new one"))
                    #expect(events[2].description.contains("cannot read /nonexistent/vault-token-x"))
                }
                let unreachable = try VaultClient(configuration: VaultClientConfiguration(address: "http://127.0.0.1:1"), logger: testLogger)
                let events = await VaultTokenRenewer(client: unreachable, tokenFiles: files, interval: .seconds(1)).pass()
                try await unreachable.shutdown()
                #expect(events.map(\.kind) == ["failed", "failed"], "\(events)")
            }
        }
    }
}
