import Doppler
import Foundation
import SprocketTestSupport
import Testing

@Suite("Doppler download")
struct DopplerDownloadTests {
    @Test("a service token downloads the config as JSON, with Doppler's injected names")
    func downloadsWithServiceToken() async throws {
        try await withDoppler { emulator, client in
            let values = try await client.downloadSecrets()
            #expect(plain(values) == [
                "JWT_SECRET": "jwt-value-1", "REDIS_PASSWORD": "redis-value-1",
                "DOPPLER_PROJECT": "sprocket", "DOPPLER_CONFIG": "prd", "DOPPLER_ENVIRONMENT": "prd",
            ])
            let request = try #require(emulator.requests.last)
            #expect(request.path == DopplerClient.downloadPath)
            #expect(request.header("Authorization") == "Bearer \(canaryToken)")
            #expect(request.query == ["format": "json"])
            #expect(emulator.downloadCount == 1)
        }
    }

    @Test("a personal token sends project and config")
    func personalTokenSendsScope() async throws {
        try await withDoppler(
            token: "dp.pt.personal-canary", access: .personalToken, project: "sprocket", config: "prd"
        ) { emulator, client in
            let values = try await client.downloadSecrets()
            #expect(values["JWT_SECRET"]?.unredactedValue == "jwt-value-1")
            let query = try #require(emulator.requests.last).query
            #expect(query["project"] == "sprocket")
            #expect(query["config"] == "prd")
        }
    }

    @Test(
        "name transformers rename every secret on Doppler's side",
        arguments: [
            (DopplerNameTransformer.camel, ["apiKey", "smtpUserName"]),
            (.upperCamel, ["ApiKey", "SmtpUserName"]),
            (.lowerSnake, ["api_key", "smtp__user_name"]),
            (.lowerKebab, ["api-key", "smtp-user-name"]),
            (.tfVar, ["TF_VAR_api_key", "TF_VAR_smtp__user_name"]),
            (.dotnet, ["ApiKey", "Smtp:UserName"]),
            (.dotnetEnv, ["ApiKey", "Smtp__UserName"]),
        ])
    func transformers(transformer: DopplerNameTransformer, expected: [String]) async throws {
        try await withDoppler(secrets: ["API_KEY": "k", "SMTP__USER_NAME": "u"]) { emulator, client in
            let values = try await client.downloadSecrets(nameTransformer: transformer, only: ["API_KEY", "SMTP__USER_NAME"])
            #expect(Set(values.keys) == Set(expected))
            #expect(values[expected[0]]?.unredactedValue == "k")
            #expect(values[expected[1]]?.unredactedValue == "u")
            #expect(emulator.requests.last?.query["name_transformer"] == transformer.rawValue)
            #expect(emulator.requests.last?.query["secrets"] == "API_KEY,SMTP__USER_NAME")
        }
    }

    @Test("values with quotes, newlines and unicode arrive intact")
    func awkwardValues() async throws {
        let awkward = "line1\nline2 \"quoted\" \\ back/slash é ✓"
        try await withDoppler(secrets: ["PEM": awkward]) { _, client in
            let values = try await client.downloadSecrets()
            #expect(values["PEM"]?.unredactedValue == awkward)
        }
    }

    @Test("secret values and tokens never print themselves")
    func redaction() {
        let value = DopplerSecretValue("canary-secret-value")
        let token = DopplerToken(canaryToken)
        var dumped = ""
        dump([value], to: &dumped)
        dump(token, to: &dumped)
        let texts = ["\(value)", String(reflecting: value), "\(token)", String(reflecting: token), dumped]
        for text in texts {
            #expect(!text.contains("canary-secret-value"))
            #expect(!text.contains("CANARY"))
        }
        #expect("\(token)".contains("service"))
    }
}
