import Foundation
import SprocketCore
import Synchronization

/// An in-process HashiCorp Vault for tests, speaking the HTTP API of `docs/wire-formats.md` §1.
///
/// It implements init, seal status, unseal (real Shamir shares over GF(256)), seal, health, KV v2 mounts, ACL
/// policies enforced on every authenticated request, and service tokens with TTLs on an injectable
/// ``VaultEmulatorClock``. Everything behind the barrier is AES-GCM encrypted with the root key while sealed, so
/// only the right shares bring the data back. With a `directory` the seal configuration and the encrypted barrier
/// are written there after every change: ``restart()`` (or a new emulator on the same directory) comes back sealed
/// with its data.
///
/// ```swift
/// let vault = try await VaultEmulator.start()
/// // VAULT_ADDR=vault.address …
/// try await vault.stop()
/// ```
public final class VaultEmulator: Sendable {
    /// The node role `sys/health` reports while unsealed (to exercise clients' handling of standby codes).
    public enum HealthRole: String, Sendable, Codable {
        case active, standby, performanceStandby, drSecondary
    }

    /// The clock token TTLs run on.
    public let clock: VaultEmulatorClock
    /// Where state is persisted, if anywhere.
    public let directory: String?
    private let core: Mutex<VaultEmulatorCore>
    private let server: Mutex<StubHTTPServer?>
    private let boundPort: Mutex<Int>

    private init(directory: String?, clock: VaultEmulatorClock, core: VaultEmulatorCore) {
        self.directory = directory
        self.clock = clock
        self.core = Mutex(core)
        self.server = Mutex(nil)
        self.boundPort = Mutex(0)
    }

    /// Starts an emulator on 127.0.0.1.
    ///
    /// - Parameters:
    ///   - directory: Persist state here; an existing state there is loaded (sealed).
    ///   - clock: The clock for token TTLs and timestamps.
    ///   - port: 0 for a free port.
    public static func start(
        directory: String? = nil, clock: VaultEmulatorClock = VaultEmulatorClock(), port: Int = 0
    ) async throws -> VaultEmulator {
        let emulator = VaultEmulator(directory: directory, clock: clock, core: try loadCore(from: directory))
        try await emulator.listen(on: port)
        return emulator
    }

    /// The TCP port.
    public var port: Int { boundPort.withLock { $0 } }

    /// `http://127.0.0.1:PORT`, what `VAULT_ADDR` should be.
    public var address: String { "http://127.0.0.1:\(port)" }

    /// Stops listening. The state stays (in memory and in the directory).
    public func stop() async throws {
        let running = server.withLock { current -> StubHTTPServer? in
            defer { current = nil }
            return current
        }
        try await running?.shutdown()
    }

    /// Stops and starts again on the same port, sealed, as a restarted Vault process would: from the directory
    /// when there is one, else from the encrypted in-memory barrier.
    public func restart() async throws {
        try await stop()
        let reloaded = directory == nil ? nil : try Self.loadCore(from: directory)
        core.withLock { state in
            if let reloaded {
                state = reloaded
            } else {
                state.sealNow()
            }
        }
        try await listen(on: port)
    }

    /// Seals from the test side, as `vault operator seal` would.
    public func seal() {
        core.withLock { $0.sealNow() }
    }

    /// Whether the emulator is sealed right now.
    public var isSealed: Bool { core.withLock { $0.isSealed } }

    /// How many unseal shares of the current attempt are in.
    public var unsealProgress: Int { core.withLock { $0.unsealParts.count } }

    /// Whether `sys/init` has run.
    public var isInitialized: Bool { core.withLock { $0.sealConfig != nil } }

    /// Makes every kv-v2 mount enabled from now on answer its first `requests` requests with OpenBao's 400
    /// "Upgrading from non-versioned to versioned data…", the window a real server shows for ~0.1 s after a mount.
    public func setKVUpgradeWindow(requests: Int) {
        core.withLock { $0.kvUpgradeRequests = requests }
    }

    /// Makes `sys/health` report a standby or secondary role while unsealed.
    public func setHealthRole(_ role: HealthRole) {
        core.withLock { $0.healthRole = role }
    }

    private func listen(on port: Int) async throws {
        let started = try await StubHTTPServer.start(on: .tcp(port: port)) { [self] request in
            handle(request)
        }
        server.withLock { $0 = started }
        boundPort.withLock { $0 = started.port ?? port }
    }

    private func handle(_ request: StubHTTPServer.Request) -> StubHTTPServer.Response {
        let now = clock.now
        return core.withLock { state in
            var response = state.handle(request, now: now)
            if state.barrierChanged {
                state.barrierChanged = false
                if let barrier = state.barrier, let key = state.rootKey,
                    let sealed = VaultEmulatorCore.encrypt(barrier, with: key)
                {
                    state.sealedBarrier = sealed
                }
                if let problem = persist(state) { response = VaultEmulatorCore.errors(500, [problem]) }
            }
            if request.method == "HEAD" { response.parts = [[]] }
            return response
        }
    }

    // MARK: persistence

    /// What is kept in `seal.json`: what Vault keeps outside its barrier.
    private struct SealFile: Codable {
        var shares: Int
        var threshold: Int
        var clusterName: String
        var clusterID: String
    }

    /// Writes the seal configuration and the encrypted barrier; returns a message when that failed.
    private func persist(_ state: VaultEmulatorCore) -> String? {
        guard let directory, let config = state.sealConfig, let sealed = state.sealedBarrier else { return nil }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let file = SealFile(
                shares: config.shares, threshold: config.threshold, clusterName: state.clusterName,
                clusterID: state.clusterID)
            try AtomicFile.write(Array(try JSONEncoder().encode(file)), to: "\(directory)/seal.json", permissions: 0o600)
            try AtomicFile.write(Array(sealed), to: "\(directory)/barrier.enc", permissions: 0o600)
            return nil
        } catch {
            return "vault emulator cannot persist its state to \(directory): \(error)"
        }
    }

    private static func loadCore(from directory: String?) throws -> VaultEmulatorCore {
        var core = VaultEmulatorCore()
        guard let directory, let sealBytes = try AtomicFile.read("\(directory)/seal.json") else { return core }
        let file = try JSONDecoder().decode(SealFile.self, from: Data(sealBytes))
        guard let barrier = try AtomicFile.read("\(directory)/barrier.enc") else {
            throw VaultEmulatorError("\(directory)/seal.json exists but barrier.enc is missing")
        }
        core.sealConfig = .init(shares: file.shares, threshold: file.threshold)
        core.sealedBarrier = Data(barrier)
        core.clusterName = file.clusterName
        core.clusterID = file.clusterID
        return core
    }
}

/// The emulator could not load its persisted state.
public struct VaultEmulatorError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
