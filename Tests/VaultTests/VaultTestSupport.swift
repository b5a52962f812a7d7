import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import SprocketTestSupport
import Testing
import Vault

/// A started, initialised and unsealed Vault (the emulator or a real OpenBao) with a client holding the root token.
struct UnsealedVault {
    let server: any VaultTestServer
    let client: VaultClient
    let initResult: VaultInitResult

    var address: String { server.address }
    var rootToken: VaultSecretString { initResult.rootToken }
    var backend: VaultTestBackend { server.backend }
    /// The emulator, for tests that drive its clock or role; nil on OpenBao.
    var emulator: VaultEmulator? { server as? VaultEmulator }

    /// Runs `body` with a second client on the same server holding `token`, shut down afterwards.
    func withClient<T: Sendable>(token: VaultSecretString, _ body: (VaultClient) async throws -> T) async throws -> T {
        try await withVaultClient(address: server.address, token: token, body)
    }
}

let testLogger = Logger(label: "vault-tests")

/// Starts one real OpenBao for the suite it is attached to (lazily, on the first test that asks) and stops it after
/// the suite, whether its tests passed or not.
struct SharedOpenBaoTrait: SuiteTrait, TestScoping {
    @TaskLocal static var current: OpenBaoSuiteServer?

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let shared = OpenBaoSuiteServer()
        do {
            try await Self.$current.withValue(shared) { try await function() }
        } catch {
            await shared.stop()
            throw error
        }
        await shared.stop()
    }
}

extension Trait where Self == SharedOpenBaoTrait {
    /// One real OpenBao for the whole suite (tests use unique names on it).
    static var sharedOpenBao: Self { Self() }
}

/// Runs `body` against an initialised (5 shares, threshold 3), unsealed Vault of `backend`:
/// - the emulator: a fresh one on `clock`, stopped afterwards;
/// - OpenBao: the suite's shared server (`.sharedOpenBao`), or a fresh one when `fresh` or outside such a suite
///   (a test that seals or restarts its server must not share it).
@discardableResult
func withUnsealedVault<T: Sendable>(
    _ backend: VaultTestBackend = .emulator, fresh: Bool = false,
    clock: VaultEmulatorClock = VaultEmulatorClock(), directory: String? = nil,
    _ body: (UnsealedVault) async throws -> T
) async throws -> T {
    if backend == .openBao, !fresh, let shared = SharedOpenBaoTrait.current {
        let (server, keys) = try await shared.server()
        let result = VaultInitResult(
            keys: keys.keys.map(VaultSecretString.init), keysBase64: keys.keysBase64.map(VaultSecretString.init),
            rootToken: VaultSecretString(keys.rootToken))
        return try await withVaultClient(address: server.address, token: result.rootToken) { client in
            try await body(UnsealedVault(server: server, client: client, initResult: result))
        }
    }
    let server: any VaultTestServer
    if backend == .emulator {
        server = try await VaultEmulator.start(directory: directory, clock: clock)
    } else {
        server = try await OpenBaoServer.start()
    }
    return try await stoppingAfterwards(server) { client in
        let result = try await client.initialize(shares: 5, threshold: 3)
        for key in result.keys.prefix(3) { _ = try await client.unseal(key: key) }
        client.setToken(result.rootToken)
        try await client.waitUntilActive()
        return try await body(UnsealedVault(server: server, client: client, initResult: result))
    }
}

/// Runs `body` with a client on a fresh, uninitialised server of `backend`.
@discardableResult
func withFreshVault<T: Sendable>(
    _ backend: VaultTestBackend = .emulator, directory: String? = nil,
    _ body: (any VaultTestServer, VaultClient) async throws -> T
) async throws -> T {
    let server: any VaultTestServer
    if backend == .emulator {
        server = try await VaultEmulator.start(directory: directory)
    } else {
        server = try await OpenBaoServer.start()
    }
    return try await stoppingAfterwards(server) { client in try await body(server, client) }
}

/// Runs `body` with a client for `server`, then shuts both down, whether `body` succeeds or throws.
private func stoppingAfterwards<T: Sendable>(
    _ server: any VaultTestServer, _ body: (VaultClient) async throws -> T
) async throws -> T {
    let client: VaultClient
    do {
        client = try VaultClient(configuration: VaultClientConfiguration(address: server.address), logger: testLogger)
    } catch {
        await server.shutdown()
        throw error
    }
    do {
        let value = try await body(client)
        try await client.shutdown()
        await server.shutdown()
        return value
    } catch {
        try? await client.shutdown()
        await server.shutdown()
        throw error
    }
}

/// Runs `body` with a client for `address` holding `token`, and shuts the client down whether `body` succeeds or
/// throws (AsyncHTTPClient traps in debug builds when a client is released without shutdown).
@discardableResult
func withVaultClient<T: Sendable>(
    address: String, token: VaultSecretString?, _ body: (VaultClient) async throws -> T
) async throws -> T {
    try await VaultClient.withClient(configuration: VaultClientConfiguration(address: address, token: token), logger: testLogger, body)
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
