import Doppler
import SprocketTestSupport
import Testing

@Suite("Doppler retries")
struct DopplerRetryTests {
    @Test("429 with Retry-After, then success: the client waits exactly what Doppler asked")
    func rateLimitedThenSuccess() async throws {
        let sleeps = RecordedSleeps()
        try await withDoppler(sleeps: sleeps) { emulator, client in
            emulator.failNext(.rateLimited(retryAfterSeconds: 7))
            let download = try await client.download()
            #expect(download.values["JWT_SECRET"]?.unredactedValue == "jwt-value-1")
            #expect(download.attempts == 2)
            #expect(sleeps.all == [.seconds(7)])
            #expect(emulator.downloadCount == 2)
        }
    }

    @Test("429 on every attempt: a rate-limit error after the last one, naming the path and not the token")
    func rateLimitExhausted() async throws {
        let sleeps = RecordedSleeps()
        try await withDoppler(sleeps: sleeps, maxAttempts: 3) { emulator, client in
            emulator.failNext(
                .rateLimited(retryAfterSeconds: 2), .rateLimited(retryAfterSeconds: 3), .rateLimited(retryAfterSeconds: 4))
            let error = try await #require(throws: DopplerClientError.self) { try await client.downloadSecrets() }
            guard case .rateLimited(_, let attempts, let retryAfter, let messages) = error else {
                Issue.record("expected rateLimited, got \(error)")
                return
            }
            #expect(attempts == 3)
            #expect(retryAfter == .seconds(4))
            #expect(messages == [DopplerEmulator.rateLimitMessage])
            #expect(sleeps.all == [.seconds(2), .seconds(3)])
            #expect(emulator.downloadCount == 3)
            #expect(error.description.contains(DopplerClient.downloadPath))
            #expect(error.description.contains("429"))
            #expect(!error.description.contains(canaryToken))
        }
    }

    @Test("a Retry-After beyond the policy's limit fails at once instead of blocking")
    func retryAfterTooLong() async throws {
        let sleeps = RecordedSleeps()
        try await withDoppler(sleeps: sleeps) { emulator, client in
            emulator.failNext(.rateLimited(retryAfterSeconds: 3600))
            let error = try await #require(throws: DopplerClientError.self) { try await client.downloadSecrets() }
            #expect(error == .rateLimited(
                path: DopplerClient.downloadPath, attempts: 1, retryAfter: .seconds(3600),
                messages: [DopplerEmulator.rateLimitMessage]))
            #expect(error.description.contains("3600 s"))
            #expect(sleeps.all.isEmpty)
        }
    }

    @Test("a non-JSON 5xx (a proxy's page) is retried with backoff; Doppler's own JSON 500 is not")
    func serverErrors() async throws {
        let sleeps = RecordedSleeps()
        try await withDoppler(sleeps: sleeps) { emulator, client in
            emulator.failNext(.badGateway, .badGateway)
            let values = try await client.downloadSecrets()
            #expect(values["REDIS_PASSWORD"]?.unredactedValue == "redis-value-1")
            #expect(sleeps.all == [.milliseconds(500), .seconds(1)])

            emulator.failNext(.internalError)
            let error = try await #require(throws: DopplerClientError.self) { try await client.downloadSecrets() }
            #expect(error == .serverError(
                status: 500, path: DopplerClient.downloadPath, attempts: 1,
                messages: [DopplerEmulator.internalErrorMessage]))
            #expect(sleeps.all.count == 2)
        }
    }
}
