import Doppler
import Logging
import SprocketTestSupport
import Testing

@Suite("Doppler errors")
struct DopplerErrorTests {
    /// Every request error names the endpoint and never the token.
    private func expectClear(_ error: DopplerClientError, mentions words: [String]) {
        let text = error.description
        #expect(text.contains(DopplerClient.downloadPath), "\(text)")
        #expect(!text.contains(canaryToken))
        #expect(!text.contains("CANARY"))
        for word in words { #expect(text.contains(word), "\(text) should mention \(word)") }
    }

    @Test("an unknown or revoked token: 401, said plainly, token not printed")
    func invalidToken() async throws {
        try await withDoppler { emulator, client in
            emulator.revokeToken(canaryToken)
            let error = try await #require(throws: DopplerClientError.self) { try await client.downloadSecrets() }
            #expect(error == .invalidToken(path: DopplerClient.downloadPath, messages: [DopplerEmulator.invalidTokenMessage]))
            expectClear(error, mentions: ["401", "invalid, revoked or expired", "DOPPLER_TOKEN"])
        }
    }

    @Test("a token without access to the config: 403")
    func accessDenied() async throws {
        try await withDoppler(access: .noAccess) { _, client in
            let error = try await #require(throws: DopplerClientError.self) { try await client.downloadSecrets() }
            guard case .accessDenied = error else {
                Issue.record("expected accessDenied, got \(error)")
                return
            }
            expectClear(error, mentions: ["403", "no access", "the service token's config"])
        }
    }

    @Test("an unknown config with a personal token: 404 naming project and config")
    func notFound() async throws {
        try await withDoppler(token: "dp.pt.CANARY-personal", access: .personalToken, project: "sprocket", config: "staging") {
            _, client in
            let error = try await #require(throws: DopplerClientError.self) { try await client.downloadSecrets() }
            guard case .notFound = error else {
                Issue.record("expected notFound, got \(error)")
                return
            }
            expectClear(error, mentions: ["404", "config \"staging\"", "Could not find requested config"])
        }
    }

    @Test("a message that echoes the token is blanked")
    func echoedToken() async throws {
        try await withDoppler { emulator, client in
            emulator.failNext(.init(status: 401, body: DopplerEmulator.errorBody("Invalid token \(canaryToken)")))
            let error = try await #require(throws: DopplerClientError.self) { try await client.downloadSecrets() }
            expectClear(error, mentions: ["<redacted token>"])
        }
    }

    @Test("nothing listening: unreachable, naming the host")
    func unreachable() async throws {
        let stub = try await StubHTTPServer.start(on: .tcp()) { _ in .json("{}") }
        let address = try #require(stub.baseURL)
        try await stub.shutdown()
        let configuration = try DopplerConfiguration(token: DopplerToken(canaryToken), apiHost: address)
        let client = DopplerClient(configuration: configuration, logger: Logger(label: "t"))
        let error = await #expect(throws: DopplerClientError.self) { try await client.downloadSecrets() }
        try await client.shutdown()
        let unwrapped = try #require(error)
        guard case .unreachable(let host, _, _) = unwrapped else {
            Issue.record("expected unreachable, got \(unwrapped)")
            return
        }
        #expect(host == address)
        expectClear(unwrapped, mentions: [address, "DOPPLER_API_HOST"])
    }

    @Test("configuration from the environment: DOPPLER_TOKEN, DOPPLER_API_HOST, scope for personal tokens")
    func configurationFromEnvironment() throws {
        let missing = #expect(throws: DopplerClientError.self) { try DopplerConfiguration.fromEnvironment([:]) }
        #expect(missing?.description.contains("DOPPLER_TOKEN") == true)

        let defaults = try DopplerConfiguration.fromEnvironment(["DOPPLER_TOKEN": canaryToken])
        #expect(defaults.apiHost == "https://api.doppler.com")
        #expect(defaults.project == nil)

        let custom = try DopplerConfiguration.fromEnvironment([
            "DOPPLER_TOKEN": canaryToken, "DOPPLER_API_HOST": "http://127.0.0.1:8123/", "DOPPLER_CONFIG": "",
        ])
        #expect(custom.apiHost == "http://127.0.0.1:8123")
        #expect(custom.config == nil)
        #expect(!custom.description.contains(canaryToken))

        let unscoped = #expect(throws: DopplerClientError.self) {
            try DopplerConfiguration.fromEnvironment(["DOPPLER_TOKEN": "dp.pt.CANARY"])
        }
        #expect(unscoped?.description.contains("DOPPLER_PROJECT") == true)
        #expect(unscoped?.description.contains("CANARY") == false)

        let scoped = try DopplerConfiguration.fromEnvironment([
            "DOPPLER_TOKEN": "dp.pt.CANARY", "DOPPLER_PROJECT": "sprocket", "DOPPLER_CONFIG": "prd",
        ])
        #expect(scoped.token.kind == .personal)

        #expect(throws: DopplerClientError.self) {
            try DopplerConfiguration.fromEnvironment(["DOPPLER_TOKEN": canaryToken, "DOPPLER_API_HOST": "api.doppler.com"])
        }
    }
}
