import Foundation

/// Which Vault a test runs against: the in-process emulator or a real OpenBao process. One test body serves both;
/// the emulator stays for faults a real server cannot show on demand (a frozen clock, a standby role).
public enum VaultTestBackend: String, Sendable, CaseIterable, CustomStringConvertible {
    case emulator
    case openBao

    public var description: String { self == .emulator ? "emulator" : "real OpenBao" }

    /// Starts a fresh, uninitialised server of this kind.
    public func start() async throws -> any VaultTestServer {
        switch self {
        case .emulator: try await VaultEmulator.start()
        case .openBao: try await OpenBaoServer.start()
        }
    }
}

/// What a test does to a Vault from outside the code under test: read its seal state, seal it, restart its
/// process, stop it. Both the emulator and ``OpenBaoServer`` do these the way an operator would (sealing takes
/// the root token, as `bao operator seal` does).
public protocol VaultTestServer: AnyObject, Sendable {
    /// `http://127.0.0.1:PORT`.
    var address: String { get }
    /// Which kind of server this is.
    var backend: VaultTestBackend { get }
    /// `sys/seal-status` right now.
    func currentSealState() async throws -> (initialized: Bool, sealed: Bool, progress: Int)
    /// Seals it with the root token.
    func seal(rootToken: String) async throws
    /// Stops and starts it on the same port and data: it comes back sealed.
    func restart() async throws
    /// Stops it for good and removes what it kept.
    func shutdown() async
}

extension VaultTestServer {
    /// Whether it is sealed right now.
    public func isSealedNow() async throws -> Bool { try await currentSealState().sealed }
}

extension VaultEmulator: VaultTestServer {
    public var backend: VaultTestBackend { .emulator }

    public func currentSealState() async throws -> (initialized: Bool, sealed: Bool, progress: Int) {
        (isInitialized, isSealed, unsealProgress)
    }

    public func seal(rootToken: String) async throws { seal() }

    public func shutdown() async { try? await stop() }
}

extension OpenBaoServer: VaultTestServer {
    public var backend: VaultTestBackend { .openBao }

    public func currentSealState() async throws -> (initialized: Bool, sealed: Bool, progress: Int) {
        try await sealState()
    }

    public func shutdown() async { await stop() }
}
