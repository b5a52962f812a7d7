import SprocketTestSupport
import Testing
import Vault

@Suite("Vault health: status codes and query overrides (docs/wire-formats.md §1.5)")
struct VaultHealthTests {
    @Test("not initialised is 501 and sealed is 503, both with a health body, never an error (emulator)")
    func uninitialisedAndSealedEmulator() async throws { try await uninitialisedAndSealed(.emulator) }

    @Test("not initialised is 501 and sealed is 503, both with a health body, never an error (real OpenBao)")
    func uninitialisedAndSealedOpenBao() async throws { try await uninitialisedAndSealed(.openBao) }

    private func uninitialisedAndSealed(_ backend: VaultTestBackend) async throws {
        try await withFreshVault(backend) { server, client in
            let fresh = try await client.health()
            #expect(fresh.state == .notInitialized && fresh.status == 501)
            #expect(fresh.body?.initialized == false)
            _ = try await client.initialize(shares: 3, threshold: 2)
            let sealed = try await client.health()
            #expect(sealed.state == .sealed && sealed.status == 503 && sealed.body?.standby == true)
            let raw = try await rawRequest("GET", server.address, "/v1/sys/health")
            #expect(raw.json?["errors"] == nil, "the body is the health object, not an error envelope")
            #expect(raw.json?["replication_dr_mode"] as? String == "unknown")
        }
    }

    @Test("after the unseal, real OpenBao is standby (429) until raft elects it, then active (200) (real OpenBao)")
    func standbyThenActive() async throws {
        try await withFreshVault(.openBao) { _, client in
            let result = try await client.initialize(shares: 1, threshold: 1)
            let unsealed = try await client.unseal(key: result.keys[0])
            #expect(!unsealed.sealed)
            var seen: [VaultHealthState] = []
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline {
                let state = try await client.health().state
                if seen.last != state { seen.append(state) }
                if state == .active { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(seen.last == .active, "became active: \(seen)")
            #expect(seen.allSatisfy { [VaultHealthState.standby, .sealed, .active].contains($0) }, "only standby or sealed on the way: \(seen)")
        }
    }

    @Test("the role while unsealed maps to its default code", arguments: [
        (VaultEmulator.HealthRole.active, 200, VaultHealthState.active),
        (.standby, 429, .standby),
        (.performanceStandby, 473, .performanceStandby),
        (.drSecondary, 472, .drSecondary),
    ])
    func roles(role: VaultEmulator.HealthRole, status: Int, state: VaultHealthState) async throws {
        try await withUnsealedVault { vault in
            try #require(vault.emulator).setHealthRole(role)
            let health = try await vault.client.health()
            #expect(health.status == status && health.state == state)
        }
    }

    @Test("query overrides change the codes and the client reads them back through the same query")
    func overrides() async throws {
        try await withUnsealedVault { vault in
            try #require(vault.emulator).setHealthRole(.standby)
            var query = VaultHealthQuery()
            query.standbyOK = true
            let accepted = try await vault.client.health(query)
            #expect(accepted.status == 200 && accepted.state == .standby && accepted.state.isServing)
            try await vault.server.seal(rootToken: vault.rootToken.unredactedValue)
            var custom = VaultHealthQuery()
            custom.sealedCode = 299
            let sealed = try await vault.client.health(custom)
            #expect(sealed.status == 299 && sealed.state == .sealed)
            let raw = try await rawRequest("GET", vault.address, "/v1/sys/health?sealedcode=abc")
            #expect(raw.status == 400)
            let head = try await rawRequest("HEAD", vault.address, "/v1/sys/health")
            #expect(head.status == 503 && head.body.isEmpty)
        }
    }

    @Test("an address where nothing listens is 'unreachable' and names the address")
    func unreachable() async throws {
        let client = try VaultClient(
            configuration: VaultClientConfiguration(address: "http://127.0.0.1:1"), logger: testLogger)
        let error = await #expect(throws: VaultClientError.self) { try await client.health() }
        try await client.shutdown()
        guard case .unreachable(let address, _)? = error else {
            Issue.record("expected unreachable, got \(String(describing: error))")
            return
        }
        #expect(address == "http://127.0.0.1:1")
        #expect(error?.description.contains("VAULT_ADDR") == true)
    }
}
