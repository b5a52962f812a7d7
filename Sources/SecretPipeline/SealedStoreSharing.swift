import Foundation
import S3
import SprocketCore

/// How a command uses the stack environment's sealed store when the state is on S3 (``SealedStoreMirror``): a
/// reader pulls the shared copy first; a writer pulls it under the run's lease and shares its changes under the
/// same lease, checked just before, so a run that lost its lease writes nothing shared. With local state both just
/// run their body.
public struct SealedStoreSharing: Sendable {
    /// The S3 state store holding the shared copy; nil with local state.
    public let shared: S3StateStore?
    /// The local working copy every command opens.
    public let localPath: String
    /// Told where a differing local copy was kept aside.
    public let warn: @Sendable (String) -> Void

    public init(shared: (any StateStore)?, localPath: String, warn: @escaping @Sendable (String) -> Void) {
        self.shared = shared as? S3StateStore
        self.localPath = localPath
        self.warn = warn
    }

    /// Pulls the shared copy over the local one, then runs `body`; nothing is shared back.
    public func reading<T>(_ body: () async throws -> T) async throws -> T {
        guard let shared else { return try await body() }
        var mirror = SealedStoreMirror(store: shared, localPath: localPath)
        try await pull(&mirror, from: shared)
        return try await body()
    }

    /// Pulls the shared copy, runs `body`, and shares a changed copy again, each under `lease`. The copy is shared
    /// also when `body` fails (a failed `up` may already have deployed generated values), unless the lease was lost:
    /// then the run writes nothing shared.
    public func writing<T>(lease: any StateLease, _ body: () async throws -> T) async throws -> T {
        guard let shared else { return try await body() }
        var mirror = SealedStoreMirror(store: shared, localPath: localPath)
        try await pull(&mirror, from: shared)
        let result: T
        do {
            result = try await body()
        } catch let error as SprocketError where error.code == .leaseLost {
            throw error
        } catch {
            if (try? await lease.check(before: "sharing the sealed store")) != nil { try? await mirror.push() }
            throw error
        }
        try await lease.check(before: "sharing the sealed store")
        try await mirror.push()
        return result
    }

    private func pull(_ mirror: inout SealedStoreMirror, from shared: S3StateStore) async throws {
        if let aside = try await mirror.pull() {
            warn("the local sealed store differed from the one shared in \(shared.location); the local copy was kept at \(aside)")
        }
    }
}
