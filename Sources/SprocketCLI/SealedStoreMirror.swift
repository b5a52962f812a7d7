import Foundation
import S3
import SprocketCore

/// With state on S3 the sealed secret store is shared there too, so that every machine running the stack sees the
/// same generated values (the database roles' passwords, the JWT key) instead of each generating its own.
///
/// The local `secrets.sealed` stays the working copy every command opens: before a command it is replaced by the
/// shared one (a differing local copy is kept aside, never lost), and after a command that may write it, a changed
/// copy is shared again, only if S3 still holds what was read. S3 holds ciphertext only; the key
/// (`SPROCKET_KEY_FILE`) is shared between operators out of band, like Pulumi's passphrase.
struct SealedStoreMirror {
    let store: S3StateStore
    let localPath: String
    /// What was read from S3 (nil: nothing shared yet).
    private(set) var pulled: S3Object?
    /// The local bytes right after the pull, to tell whether the command changed them.
    private(set) var pulledLocal: [UInt8]?

    /// Downloads the shared store over the local working copy.
    /// - Returns: the path a differing local copy was kept at, for a warning.
    mutating func pull(now: Date = Date()) async throws -> String? {
        pulled = try await store.sealedSecrets()
        var keptAside: String?
        if let shared = pulled {
            let local = try AtomicFile.read(localPath)
            if let local, local != shared.body {
                let aside = "\(localPath).local-\(Int(now.timeIntervalSince1970))"
                try AtomicFile.write(local, to: aside, permissions: 0o600)
                keptAside = aside
            }
            try FileManager.default.createDirectory(
                atPath: (localPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try AtomicFile.write(shared.body, to: localPath, permissions: 0o600)
        }
        pulledLocal = try AtomicFile.read(localPath)
        return keptAside
    }

    /// Shares the local working copy if it changed since ``pull(now:)`` (or was never shared).
    func push() async throws {
        guard let local = try AtomicFile.read(localPath) else { return }
        guard pulled == nil || local != pulledLocal else { return }
        if let pulled, local == pulled.body { return }
        try await store.saveSealedSecrets(local, replacing: pulled?.etag)
    }
}

extension CommandRuntime {
    /// Runs `body` with the sealed store of `identity` mirrored from the S3 state (pulled before; pushed after when
    /// `writes`, also when `body` fails, since a failed `up` may already have deployed generated values). With local
    /// state it just runs `body`.
    func withSharedSealedStore<T>(_ identity: StackIdentity, writes: Bool, _ body: () async throws -> T) async throws -> T {
        guard let factory = remoteStateFactory, let shared = try factory(identity) as? S3StateStore else { return try await body() }
        var mirror = SealedStoreMirror(store: shared, localPath: store(for: identity).sealedSecretsPath)
        if let aside = try await mirror.pull() {
            console.err("warning: the local sealed store differed from the one shared in \(shared.location); the local copy was kept at \(aside)")
        }
        let result: T
        do {
            result = try await body()
        } catch let lost as SprocketError where lost.code == .leaseLost {
            // A run that lost its lease writes nothing shared: the run that took the lock over owns the shared store.
            throw lost
        } catch {
            if writes { try? await mirror.push() }
            throw error
        }
        if writes { try await mirror.push() }
        return result
    }
}
