import Foundation
import SprocketTestSupport
import Testing
import Vault

@Suite("Vault tokens: create, lookup, renew, revoke, TTL on the emulator clock (docs/wire-formats.md §1.9)", .sharedOpenBao)
struct VaultTokenTests {
    @Test("create with ttl, display name and metadata; lookup-self and lookup by accessor agree")
    func createAndLookup() async throws {
        // A frozen clock: on a loaded machine a second can pass between create and lookup, and ttl would read 3599.
        try await withUnsealedVault(clock: VaultEmulatorClock(frozenAt: Date(timeIntervalSince1970: 1_800_000_000))) { vault in
            try await vault.client.writePolicy(named: "web", hcl: #"path "platform/data/web/*" { capabilities = ["read"] }"#)
            let created = try await vault.client.createToken(VaultTokenRequest(
                policies: ["web", "stage"], ttl: .seconds(3600), displayName: "web", metadata: ["consumer": "web"]))
            #expect(created.clientToken.unredactedValue.hasPrefix("s."), "OpenBao's prefix (docs/openbao.md)")
            #expect(created.policies == ["default", "stage", "web"] && created.leaseDuration == .seconds(3600))
            #expect(created.renewable && !created.orphan && created.warnings == ["Policy \"stage\" does not exist"])
            try await vault.withClient(token: created.clientToken) { web in
                let me = try await web.lookupSelf()
                #expect(me.accessor == created.accessor && me.displayName == "token-web" && me.meta == ["consumer": "web"])
                #expect(me.ttl == 3600 && me.creationTTL == 3600 && me.path == "auth/token/create" && me.expiresAt != nil)
                #expect(me.id == created.clientToken)
                let byAccessor = try await vault.client.lookup(accessor: created.accessor)
                #expect(byAccessor.id.isEmpty && byAccessor.policies == me.policies)
                let root = try await vault.client.lookupSelf()
                #expect(root.policies == ["root"] && root.ttl == 0 && root.expireTime == nil && root.expiresAt == nil)
            }
        }
    }

    @Test("a token expires on the emulator clock and is then refused with 403 'permission denied'")
    func expiryOnInjectedClock() async throws {
        let clock = VaultEmulatorClock(frozenAt: Date(timeIntervalSince1970: 1_800_000_000))
        try await withUnsealedVault(clock: clock) { vault in
            let created = try await vault.client.createToken(VaultTokenRequest(policies: [], ttl: .seconds(600)))
            try await vault.withClient(token: created.clientToken) { short in
                clock.advance(by: .seconds(599))
                #expect(try await short.lookupSelf().ttl == 1)
                clock.advance(by: .seconds(2))
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

    @Test("renew-self extends the TTL up to the max TTL and warns when capped; non-renewable tokens are refused")
    func renewal() async throws {
        let clock = VaultEmulatorClock(frozenAt: Date(timeIntervalSince1970: 1_800_000_000))
        try await withUnsealedVault(clock: clock) { vault in
            let created = try await vault.client.createToken(
                VaultTokenRequest(policies: [], ttl: .seconds(600), explicitMaxTTL: .seconds(1000)))
            try await vault.withClient(token: created.clientToken) { token in
                clock.advance(by: .seconds(500))
                let renewed = try await token.renewSelf(increment: .seconds(300))
                #expect(renewed.leaseDuration == .seconds(300) && renewed.warnings.isEmpty)
                clock.advance(by: .seconds(200))
                let capped = try await token.renewSelf(increment: .seconds(3600))
                #expect(capped.leaseDuration == .seconds(300), "creation + 1000 s is the cap")
                #expect(capped.warnings.count == 1 && capped.warnings[0].contains("max_ttl"))
                await #expect(throws: VaultClientError.badRequest(
                    method: "POST", path: "auth/token/renew-self", messages: ["lease is not renewable"])
                ) { try await vault.client.renewSelf() }
                let fixed = try await vault.client.createToken(VaultTokenRequest(policies: [], ttl: .seconds(60), renewable: false))
                await #expect(throws: VaultClientError.self) { try await vault.client.renew(token: fixed.clientToken) }
            }
        }
    }

    @Test("a periodic token renews to its period indefinitely")
    func periodic() async throws {
        let clock = VaultEmulatorClock(frozenAt: Date(timeIntervalSince1970: 1_800_000_000))
        try await withUnsealedVault(clock: clock) { vault in
            let created = try await vault.client.createToken(VaultTokenRequest(policies: [], period: .seconds(3600)))
            #expect(created.leaseDuration == .seconds(3600))
            try await vault.withClient(token: created.clientToken) { token in
                for _ in 0..<30 {
                    clock.advance(by: .seconds(3000))
                    let renewed = try await token.renewSelf()
                    #expect(renewed.leaseDuration == .seconds(3600))
                }
                let info = try await token.lookupSelf()
                #expect(info.period == 3600)
            }
        }
    }

    @Test("revoking a parent revokes its children but not its orphans; revoke-self and revoke-accessor work (emulator)")
    func revocationEmulator() async throws { try await revocation(.emulator) }

    @Test("revoking a parent revokes its children but not its orphans; revoke-self and revoke-accessor work (real OpenBao)")
    func revocationOpenBao() async throws { try await revocation(.openBao) }

    private func revocation(_ backend: VaultTestBackend) async throws {
        try await withUnsealedVault(backend) { vault in
            try await vault.client.writePolicy(
                named: "issuer",
                hcl: #"path "auth/token/create" { capabilities = ["update"] } path "auth/token/create-orphan" { capabilities = ["update"] }"#)
            let parent = try await vault.client.createToken(VaultTokenRequest(policies: ["issuer"], ttl: .seconds(600)))
            try await vault.withClient(token: parent.clientToken) { issuer in
                let child = try await issuer.createToken(VaultTokenRequest(policies: ["issuer"], ttl: .seconds(600)))
                let orphan = try await issuer.createToken(VaultTokenRequest(policies: ["issuer"], ttl: .seconds(600), orphan: true))
                #expect(orphan.orphan && !child.orphan)
                await #expect(throws: VaultClientError.badRequest(
                    method: "POST", path: "auth/token/create", messages: ["child policies must be subset of parent"])
                ) { try await issuer.createToken(VaultTokenRequest(policies: ["root"])) }
                try await vault.client.revoke(accessor: parent.accessor)
                await #expect(throws: VaultClientError.self) { try await vault.client.lookup(accessor: child.accessor) }
                #expect(try await vault.client.lookup(accessor: orphan.accessor).orphan)
                try await vault.withClient(token: orphan.clientToken) { orphanClient in
                    try await orphanClient.revokeSelf()
                    await #expect(throws: VaultClientError.self) { try await orphanClient.lookupSelf() }
                }
            }
        }
    }
}
