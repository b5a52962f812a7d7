import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import SprocketTestSupport
import Vault

/// A started, initialised and unsealed emulator with a client holding the root token.
struct UnsealedVault {
    let emulator: VaultEmulator
    let client: VaultClient
    let initResult: VaultInitResult

    var rootToken: VaultSecretString { initResult.rootToken }

    /// Runs `body` with a second client on the same emulator holding `token`, shut down afterwards.
    func withClient<T: Sendable>(token: VaultSecretString, _ body: (VaultClient) async throws -> T) async throws -> T {
        try await withVaultClient(address: emulator.address, token: token, body)
    }
}

let testLogger = Logger(label: "vault-tests")

/// Starts an emulator, initialises it (5 shares, threshold 3), unseals it, runs `body`, and stops everything.
@discardableResult
func withUnsealedVault<T: Sendable>(
    clock: VaultEmulatorClock = VaultEmulatorClock(), directory: String? = nil,
    _ body: (UnsealedVault) async throws -> T
) async throws -> T {
    let emulator = try await VaultEmulator.start(directory: directory, clock: clock)
    return try await stoppingAfterwards(emulator) { client in
        let result = try await client.initialize(shares: 5, threshold: 3)
        for key in result.keys.prefix(3) { _ = try await client.unseal(key: key) }
        client.setToken(result.rootToken)
        return try await body(UnsealedVault(emulator: emulator, client: client, initResult: result))
    }
}

/// Runs `body` with a client on a fresh, uninitialised emulator.
@discardableResult
func withFreshVault<T: Sendable>(
    directory: String? = nil, _ body: (VaultEmulator, VaultClient) async throws -> T
) async throws -> T {
    let emulator = try await VaultEmulator.start(directory: directory)
    return try await stoppingAfterwards(emulator) { client in try await body(emulator, client) }
}

/// Runs `body` with a client for `emulator`, then shuts both down, whether `body` succeeds or throws.
private func stoppingAfterwards<T: Sendable>(
    _ emulator: VaultEmulator, _ body: (VaultClient) async throws -> T
) async throws -> T {
    let client: VaultClient
    do {
        client = try VaultClient(configuration: VaultClientConfiguration(address: emulator.address), logger: testLogger)
    } catch {
        try? await emulator.stop()
        throw error
    }
    do {
        let value = try await body(client)
        try await client.shutdown()
        try await emulator.stop()
        return value
    } catch {
        try? await client.shutdown()
        try? await emulator.stop()
        throw error
    }
}

/// Runs `body` with a client for `address` holding `token`, and shuts the client down whether `body` succeeds or
/// throws (AsyncHTTPClient traps in debug builds when a client is released without shutdown).
@discardableResult
func withVaultClient<T: Sendable>(
    address: String, token: VaultSecretString?, _ body: (VaultClient) async throws -> T
) async throws -> T {
    let client = try VaultClient(configuration: VaultClientConfiguration(address: address, token: token), logger: testLogger)
    do {
        let value = try await body(client)
        try await client.shutdown()
        return value
    } catch {
        try? await client.shutdown()
        throw error
    }
}

/// One raw HTTP exchange, for checking the emulator's wire format byte by byte.
struct RawExchange: Sendable {
    var status: Int
    var headers: [String: String]
    var body: String

    var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
    }
}

/// Sends a raw request to the emulator (no client logic in between).
func rawRequest(
    _ method: String, _ address: String, _ path: String, body: String? = nil, token: VaultSecretString? = nil
) async throws -> RawExchange {
    var request = HTTPClientRequest(url: address + path)
    request.method = .init(rawValue: method)
    if let token { request.headers.add(name: "X-Vault-Token", value: token.unredactedValue) }
    if let body { request.body = .bytes(ByteBuffer(string: body)) }
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
    let bytes = try await response.body.collect(upTo: 1 << 20)
    var headers: [String: String] = [:]
    for header in response.headers { headers[header.name.lowercased()] = header.value }
    return RawExchange(status: Int(response.status.code), headers: headers, body: String(buffer: bytes))
}

/// A unique mount name per test, so tests can share a real Vault.
func uniqueMount(_ prefix: String = "t") -> String {
    "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
}
