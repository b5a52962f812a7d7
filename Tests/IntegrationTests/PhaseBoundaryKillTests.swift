import Foundation
import SprocketTestSupport
import Testing

/// `up` killed (SIGKILL) at each boundary between its phases, with local state: read the sources → Vault's layers →
/// Vault's bootstrap → the manifest's secret sync → Vault's tokens → PostgreSQL → the remaining layers, and in the
/// middle of each (after Vault's init, between the secret sync's Vault write and its sealed-store write, between a
/// token's mint and its store, between two PostgreSQL statements). The run stops itself right before the lease check
/// of the next write (`SPROCKET_TEST_PAUSE_AT_CHECK`) and is killed there; a re-run must converge and leave no
/// orphaned secret, service, Vault token or PostgreSQL role.
@Suite("up killed at each phase boundary and inside each phase: a re-run converges and leaves no orphans", .tags(.integration))
struct PhaseBoundaryKillTests {
    static let boundaries = [
        // The first check after the sources were read: the record of the run bringing up Vault's layers.
        FaultPoint(name: "after the sources", operation: "recording the run"),
        FaultPoint(name: "after Vault's layers", operation: "Vault PUT sys/init"),
        FaultPoint(name: "inside Vault's bootstrap, after init and unseal", operation: "Vault POST sys/mounts/platform"),
        FaultPoint(name: "after Vault's bootstrap", operation: "syncing the manifest's secrets"),
        FaultPoint(name: "inside the secret sync, after the Vault write", operation: "sealed store: storing secret api-key"),
        FaultPoint(name: "after the secret sync", operation: "up (vault credentials)"),
        FaultPoint(name: "inside the tokens, before the mint", operation: "Vault POST auth/token/create"),
        // The token exists in Vault and no store holds it: the re-run revokes it as a stray.
        FaultPoint(name: "inside the tokens, between the mint and the store", operation: "sealed store: keeping Vault token platform"),
        FaultPoint(name: "after the tokens", operation: "applying "),
        FaultPoint(name: "inside PostgreSQL, between two statements", operation: "postgres: create database"),
        FaultPoint(name: "after PostgreSQL", operation: "create secret {{service}}"),
        FaultPoint(name: "between the remaining layers", operation: "create service {{service}}tail-svc"),
    ]

    @Test("killed at a phase boundary, then re-run: converges, no orphaned secrets, services, tokens or roles (real OpenBao)", arguments: boundaries)
    func killedAtBoundary(_ boundary: FaultPoint) async throws {
        try await PhaseFaultStack.with(prefix: "fkill") { fixture in
            let operation = boundary.operation(in: fixture.stack)
            let run = FaultRun(
                ["up", "--yes", "--json"], folder: fixture.stack.folder.path,
                environment: fixture.environment(extra: ["SPROCKET_TEST_PAUSE_AT_CHECK": operation]))
            let pid = try #require(try await run.waitUntilStopped(), "the run never stopped before \(operation)")
            let killed = try await run.kill(pid)
            #expect(killed.status == SIGKILL, "killed at \(operation): \(killed.stderr)")
            #expect(killed.stderr.contains("paused before \(operation)"), "stopped where asked: \(killed.stderr)")

            try await fixture.expectRerunConverges()
            let orphans = try await fixture.orphans()
            #expect(orphans.isEmpty, "\(orphans)")
            #expect(!fixture.leaks(killed.stdout + killed.stderr), "a secret value leaked")
        }
    }
}
