import Doppler
import Foundation
import Logging
import SprocketTestSupport
import Synchronization

/// A canary service token: no error message, description or log line may ever contain it.
let canaryToken = "dp.st.prd.CANARYtoken4c1d2e3f4a5b6c7d8e9f"

/// Records the waits a ``DopplerRetryPolicy`` asks for instead of spending them.
final class RecordedSleeps: Sendable {
    private let waits = Mutex<[Duration]>([])

    var all: [Duration] { waits.withLock { $0 } }

    func policy(maxAttempts: Int = 4, maxDelay: Duration = .seconds(60)) -> DopplerRetryPolicy {
        DopplerRetryPolicy(maxAttempts: maxAttempts, maxDelay: maxDelay) { [self] wait in
            waits.withLock { $0.append(wait) }
        }
    }
}

/// Starts an emulator with the canary service token, runs `body` with a client pointed at it, and cleans up.
func withDoppler<T: Sendable>(
    secrets: [String: String] = ["JWT_SECRET": "jwt-value-1", "REDIS_PASSWORD": "redis-value-1"],
    token: String = canaryToken, access: DopplerEmulator.TokenAccess = .serviceToken,
    project: String? = nil, config: String? = nil, sleeps: RecordedSleeps = RecordedSleeps(), maxAttempts: Int = 4,
    etagFile: DopplerETagFile? = nil,
    _ body: (DopplerEmulator, DopplerClient) async throws -> T
) async throws -> T {
    let emulator = try await DopplerEmulator.start(secrets: secrets)
    emulator.addToken(token, access: access)
    let configuration = try DopplerConfiguration(
        token: DopplerToken(token), apiHost: emulator.baseURL, project: project, config: config,
        retry: sleeps.policy(maxAttempts: maxAttempts))
    let client = DopplerClient(configuration: configuration, etagFile: etagFile, logger: Logger(label: "doppler-test"))
    do {
        let result = try await body(emulator, client)
        try await client.shutdown()
        try await emulator.stop()
        return result
    } catch {
        try? await client.shutdown()
        try? await emulator.stop()
        throw error
    }
}

/// The plain strings of a download, for comparisons.
func plain(_ values: [String: DopplerSecretValue]) -> [String: String] {
    values.mapValues(\.unredactedValue)
}
