import Doppler
import Foundation
import SprocketTestSupport
import Testing

@Suite("Doppler emulator fidelity")
struct DopplerEmulatorFidelityTests {
    /// The CLI e2e data of docs/wire-formats.md §2.1: project `cli`, config and environment `e2e`.
    private func documentedEmulator() async throws -> DopplerEmulator {
        let emulator = try await DopplerEmulator.start(
            project: "cli", config: "e2e", environment: "e2e", secrets: ["FOO": "bar", "HOME": "123", "TEST": "abc"])
        emulator.addToken(canaryToken, access: .serviceToken)
        return emulator
    }

    private func get(_ emulator: DopplerEmulator, query: String, headers: [(String, String)]) -> StubHTTPServer.Response {
        emulator.answer(uri: DopplerEmulator.downloadPath + query, headers: headers)
    }

    private func text(_ response: StubHTTPServer.Response) -> String {
        String(decoding: response.parts.flatMap { $0 }, as: UTF8.self)
    }

    @Test("format=json equals the documented body byte for byte; env equals the documented env text")
    func documentedBodies() async throws {
        let emulator = try await documentedEmulator()
        let auth = [("Authorization", "Bearer \(canaryToken)")]
        let json = get(emulator, query: "?format=json", headers: auth)
        #expect(json.status == 200)
        #expect(text(json) == #"{"DOPPLER_CONFIG":"e2e","DOPPLER_ENVIRONMENT":"e2e","DOPPLER_PROJECT":"cli","FOO":"bar","HOME":"123","TEST":"abc"}"#)
        #expect(json.headers.contains { $0.name == "ETag" && !$0.value.isEmpty })
        #expect(json.headers.contains { $0.name == "x-request-id" })
        #expect(text(get(emulator, query: "", headers: auth)) == text(json))
        let env = get(emulator, query: "?format=env", headers: auth)
        #expect(text(env) == "DOPPLER_CONFIG=\"e2e\"\nDOPPLER_ENVIRONMENT=\"e2e\"\nDOPPLER_PROJECT=\"cli\"\nFOO=\"bar\"\nHOME=\"123\"\nTEST=\"abc\"")
        try await emulator.stop()
    }

    @Test("Basic auth with the token as user name works like Bearer; a wrong token gets the documented 401 body")
    func authentication() async throws {
        let emulator = try await documentedEmulator()
        let basic = Data("\(canaryToken):".utf8).base64EncodedString()
        #expect(get(emulator, query: "", headers: [("Authorization", "Basic \(basic)")]).status == 200)
        let denied = get(emulator, query: "", headers: [("Authorization", "Bearer dp.st.e2e.wrong")])
        #expect(denied.status == 401)
        #expect(text(denied) == #"{"messages":["Invalid token"],"success":false}"#)
        #expect(denied.headers.contains { $0.name == "Content-Type" && $0.value == "application/json" })
        #expect(get(emulator, query: "", headers: []).status == 401)
        try await emulator.stop()
    }

    @Test("If-None-Match with the current ETag gets 304 and no body; scripted 429 carries Retry-After")
    func etagAndRateLimit() async throws {
        let emulator = try await documentedEmulator()
        let auth = ("Authorization", "Bearer \(canaryToken)")
        let etag = try #require(get(emulator, query: "", headers: [auth]).headers.first { $0.name == "ETag" }?.value)
        let again = get(emulator, query: "", headers: [auth, ("If-None-Match", etag)])
        #expect(again.status == 304)
        #expect(text(again).isEmpty)
        emulator.failNext(.rateLimited(retryAfterSeconds: 30))
        let limited = get(emulator, query: "", headers: [auth])
        #expect(limited.status == 429)
        #expect(limited.headers.contains { $0.name == "Retry-After" && $0.value == "30" })
        let body = try JSONSerialization.jsonObject(with: Data(text(limited).utf8)) as? [String: Any]
        #expect(body?["success"] as? Bool == false)
        #expect((body?["messages"] as? [String])?.isEmpty == false)
        #expect(emulator.downloadCount == 3)
        #expect(emulator.notModifiedCount == 1)
        try await emulator.stop()
    }

    @Test("every documented format and transformer is accepted (dotnet-json is refused as not emulated)")
    func enumsMatchTheContract() async throws {
        let emulator = try await documentedEmulator()
        let auth = [("Authorization", "Bearer \(canaryToken)")]
        for transformer in DopplerNameTransformer.allCases {
            #expect(get(emulator, query: "?name_transformer=\(transformer.rawValue)", headers: auth).status == 200)
        }
        for format in ["json", "env", "yaml", "docker", "env-no-quotes"] {
            #expect(get(emulator, query: "?format=\(format)", headers: auth).status == 200)
        }
        #expect(get(emulator, query: "?format=toml", headers: auth).status == 400)
        try await emulator.stop()
    }

    @Test("the env format round-trips through the strict parser, awkward values included")
    func envRoundTrip() async throws {
        let secrets = ["PEM": "-----BEGIN KEY-----\nabc\n-----END KEY-----", "QUOTED": #"say "hi" \ bye"#, "PLAIN": "x"]
        let emulator = try await DopplerEmulator.start(secrets: secrets)
        emulator.addToken(canaryToken, access: .serviceToken)
        let env = text(get(emulator, query: "?format=env", headers: [("Authorization", "Bearer \(canaryToken)")]))
        let parsed = try SecretEnvFileParser().parse(env, source: "doppler-env")
        #expect(parsed.values.mapValues(\.unredactedValue).filter { !$0.key.hasPrefix("DOPPLER_") } == secrets)
        try await emulator.stop()
    }
}
