import Foundation
import SprocketTestSupport
import Testing
import Vault

/// Token lifetimes on a real OpenBao, where the emulator uses its injectable clock (VaultTokenTests): short real
/// TTLs and waiting. Every token has a policy of its own test, so the tests share the suite's server.
@Suite("Vault tokens on real OpenBao: lookup, renewal, max TTL and expiry with real short TTLs", .sharedOpenBao)
struct VaultTokenLifetimeTests {
    @Test("create with ttl, display name and metadata; lookup-self and lookup by accessor agree (real OpenBao)")
    func createAndLookup() async throws {
        try await withUnsealedVault(.openBao) { vault in
            let policy = uniqueMount("web")
            try await vault.client.writePolicy(named: policy, hcl: #"path "platform/data/web/*" { capabilities = ["read"] }"#)
            let created = try await vault.client.createToken(VaultTokenRequest(
                policies: [policy], ttl: .seconds(3600), displayName: "web", metadata: ["consumer": "web"]))
            #expect(created.clientToken.unredactedValue.hasPrefix("s."))
            #expect(created.policies == ["default", policy] && created.leaseDuration == .seconds(3600))
            #expect(created.renewable && !created.orphan)
            try await vault.withClient(token: created.clientToken) { web in
                let me = try await web.lookupSelf()
                #expect(me.accessor == created.accessor && me.displayName == "token-web" && me.meta == ["consumer": "web"])
                #expect((3590...3600).contains(me.ttl) && me.creationTTL == 3600 && me.path == "auth/token/create")
                #expect(me.expiresAt != nil && me.id == created.clientToken)
                let byAccessor = try await vault.client.lookup(accessor: created.accessor)
                #expect(byAccessor.id.isEmpty && byAccessor.policies == me.policies)
            }
            let root = try await vault.client.lookupSelf()
            #expect(root.policies == ["root"] && root.ttl == 0 && root.expiresAt == nil)
            try await vault.client.deletePolicy(named: policy)
        }
    }

    @Test("a 4 s token works, then expires and is refused with 403 'permission denied' (real OpenBao)")
    func expiry() async throws {
        try await withUnsealedVault(.openBao) { vault in
            let created = try await vault.client.createToken(VaultTokenRequest(policies: [], ttl: .seconds(4)))
            let createdAt = ContinuousClock.now
            try await vault.withClient(token: created.clientToken) { short in
                #expect(try await short.lookupSelf().ttl <= 4)
                try await Task.sleep(until: createdAt + .seconds(6))
                do {
                    _ = try await short.lookupSelf()
                    Issue.record("an expired token still works")
                } catch let error as VaultClientError {
                    guard case .permissionDenied(_, let path, let messages) = error else { throw error }
                    #expect(path == "auth/token/lookup-self" && messages == ["permission denied"])
                }
            }
        }
    }

    // The margins below are seconds, not milliseconds: on a loaded 2-core machine one request can take over a
    // second, and a token that expires between two steps would fail the test for the wrong reason.
    @Test("renew-self extends a 6 s TTL, is capped by a 16 s explicit_max_ttl with a warning, then the token expires (real OpenBao)")
    func renewalAndCap() async throws {
        try await withUnsealedVault(.openBao) { vault in
            let created = try await vault.client.createToken(
                VaultTokenRequest(policies: [], ttl: .seconds(6), explicitMaxTTL: .seconds(16)))
            let createdAt = ContinuousClock.now
            try await vault.withClient(token: created.clientToken) { token in
                try await Task.sleep(for: .seconds(2))
                let renewed = try await token.renewSelf(increment: .seconds(8))
                #expect(renewed.leaseDuration == .seconds(8), "under the cap: the increment")
                try await Task.sleep(until: createdAt + .seconds(7))
                #expect(try await token.lookupSelf().ttl > 0, "alive past its first 6 s thanks to the renewal")
                let capped = try await token.renewSelf(increment: .seconds(3600))
                #expect(capped.leaseDuration <= .seconds(9), "creation + 16 s is the cap")
                #expect(capped.warnings.contains { $0.contains("exceeded the effective max_ttl") }, "OpenBao warns about the cap: \(capped.warnings)")
                try await Task.sleep(until: createdAt + .seconds(18))
                await #expect(throws: VaultClientError.self) { try await token.lookupSelf() }
            }
            await #expect(throws: VaultClientError.self) { try await vault.client.renewSelf() }
        }
    }

    @Test("a periodic 15 s token outlives its period while it is renewed, and a non-renewable one cannot be renewed (real OpenBao)")
    func periodic() async throws {
        try await withUnsealedVault(.openBao) { vault in
            // 15 s, renewed every 5 s: a renewal may be up to 10 s late (a load average of 17 was seen here).
            let created = try await vault.client.createToken(VaultTokenRequest(policies: [], period: .seconds(15)))
            #expect(created.leaseDuration == .seconds(15))
            let createdAt = ContinuousClock.now
            try await vault.withClient(token: created.clientToken) { token in
                for _ in 0..<4 {
                    try await Task.sleep(for: .seconds(5))
                    #expect(try await token.renewSelf().leaseDuration == .seconds(15))
                }
                #expect(ContinuousClock.now - createdAt > .seconds(15))
                #expect(try await token.lookupSelf().period == 15, "alive after more than its 15 s period")
            }
            let fixed = try await vault.client.createToken(VaultTokenRequest(policies: [], ttl: .seconds(60), renewable: false))
            await #expect(throws: VaultClientError.self) { try await vault.client.renew(token: fixed.clientToken) }
        }
    }
}
