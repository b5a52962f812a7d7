import Foundation

extension VaultClient {
    /// The largest raft snapshot this client reads or sends (a platform's Vault holds kilobytes to megabytes).
    public static let maxSnapshotBytes = 512 << 20

    /// A snapshot of the whole raft storage (`GET sys/storage/raft/snapshot`, gzip). Its content is encrypted by
    /// Vault's barrier: only this Vault's unseal keys open it. Needs a token with `read` on that path (root).
    ///
    /// - Throws: ``VaultClientError`` (e.g. `badRequest` when the storage is not raft, `sealed`).
    public func saveRaftSnapshot() async throws -> Data {
        var request = VaultRequest(method: "GET", path: "sys/storage/raft/snapshot")
        request.maxResponseBytes = Self.maxSnapshotBytes
        let snapshot = try await send(request).body
        // gzip's magic number: anything else is not a snapshot (a proxy's error page, say).
        guard snapshot.count > 2, snapshot.prefix(2) == Data([0x1f, 0x8b]) else {
            throw VaultClientError.decoding(path: request.path, detail: "the answer is not a gzip raft snapshot (\(snapshot.count) bytes)")
        }
        return snapshot
    }

    /// Restores a snapshot taken of this Vault (`POST sys/storage/raft/snapshot`): every secret, policy and token
    /// goes back to that moment. With `force` (`sys/storage/raft/snapshot-force`) a snapshot of another Vault
    /// is accepted too; that Vault's unseal keys are needed afterwards.
    public func restoreRaftSnapshot(_ snapshot: Data, force: Bool = false) async throws {
        var request = VaultRequest(method: "POST", path: force ? "sys/storage/raft/snapshot-force" : "sys/storage/raft/snapshot")
        request.body = snapshot
        request.contentType = "application/octet-stream"
        try await send(request)
    }
}
