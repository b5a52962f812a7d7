import DockerEngine
import Foundation
import S3
import SprocketTestSupport
import Testing
import Vault

/// What every system a `PhaseFaultStack` run writes to holds, to tell whether a run changed anything: the stack's
/// Docker objects with their versions, Vault's tokens and the manifest secret's version, PostgreSQL's roles, and the
/// objects of the S3 state with their ETags. Two equal snapshots taken around a run mean it changed nothing.
struct SystemsSnapshot: Equatable {
    var docker: [String] = []
    var vault: [String] = []
    var postgres: [String] = []
    var s3: [String] = []

    static func take(_ fixture: PhaseFaultStack, state: MotoStateBucket? = nil) async throws -> SystemsSnapshot {
        var snapshot = SystemsSnapshot()
        let stack = fixture.stack
        snapshot.docker = try await stack.services().map { "service \($0.spec?.name ?? $0.id) v\($0.version?.index ?? 0)" }
            + stack.secrets().map { "secret \($0.spec?.name ?? $0.id)" }
            + stack.configs().map { "config \($0.spec?.name ?? $0.id)" }
            + stack.networks().map { "network \($0.name ?? $0.id)" }
        snapshot.docker.sort()

        // Before `vault init` there is no key file and nothing in Vault to list; a run that initialised it changes this line.
        guard FileManager.default.fileExists(atPath: fixture.vaultKeyFile) else {
            snapshot.vault = ["not initialised (no key file)"]
            return try await snapshot.takingOthers(fixture, state: state)
        }
        let rootToken = try VaultKeyFile(path: fixture.vaultKeyFile).load(passphrase: PhaseFaultStack.passphrase).rootToken
        let accessors = try await OrphanCensus.vaultJSON(
            address: fixture.vaultAddress, token: rootToken, method: "GET", path: "auth/token/accessors?list=true")
        snapshot.vault = ((((accessors["data"] as? [String: Any])?["keys"] as? [String]) ?? []).map { "token \($0)" }).sorted()
        let metadata = try await OrphanCensus.vaultJSON(
            address: fixture.vaultAddress, token: rootToken, method: "GET", path: "platform/metadata/default/api")
        snapshot.vault.append("api-key version \((metadata["data"] as? [String: Any])?["current_version"] ?? "none")")
        return try await snapshot.takingOthers(fixture, state: state)
    }

    /// PostgreSQL's roles and the S3 state's objects.
    private func takingOthers(_ fixture: PhaseFaultStack, state: MotoStateBucket?) async throws -> SystemsSnapshot {
        var snapshot = self
        snapshot.postgres = try await fixture.pg.superuser(
            "SELECT rolname || ' ' || coalesce(rolpassword, '') FROM pg_authid ORDER BY rolname").split(separator: "\n").map(String.init)
        if let state {
            snapshot.s3 = try await state.client.listObjects(state.bucket).map { "\($0.key) \($0.etag)" }.sorted()
        }
        return snapshot
    }

    /// The lines of `other` that differ from this snapshot's, for a failure message.
    func difference(to other: SystemsSnapshot) -> String {
        let mine = Set(docker + vault + postgres + s3), theirs = Set(other.docker + other.vault + other.postgres + other.s3)
        return "gone: \(mine.subtracting(theirs).sorted()); new: \(theirs.subtracting(mine).sorted())"
    }
}
