import Foundation
import Synchronization
import SprocketCore
import SprocketTestSupport
import Testing
import Vault

@Suite("A run's fence on Vault writes: a lost lease stops every write of every client sharing the run's counter, reads go on", .sharedOpenBao)
struct VaultWriteFenceTests {
    @Test("a write after the lease is lost is not sent; reads still are (emulator)")
    func fencedEmulator() async throws { try await fenced(.emulator) }

    @Test("a write after the lease is lost is not sent; reads still are (real OpenBao)")
    func fencedOpenBao() async throws { try await fenced(.openBao) }

    private func fenced(_ backend: VaultTestBackend) async throws {
        try await withUnsealedVault(backend) { vault in
            let path = try VaultKVPath(mount: "secret-fence-\(uniqueSuffix())", path: "app")
            try await vault.client.enableKVVersion2(at: path.mount)
            let calls = VaultCallCounter()
            let client = try VaultClient(configuration: VaultClientConfiguration(address: vault.address, token: vault.rootToken), logger: testLogger, calls: calls)
            do {
                _ = try await client.writeSecret(VaultSecretData(["v": VaultSecretString("before")]), at: path)
                let checked = Checked()
                calls.fenceWrites { operation in
                    checked.append(operation)
                    throw SprocketError(.leaseLost, "lost before \(operation)")
                }
                await #expect {
                    _ = try await client.writeSecret(VaultSecretData(["v": VaultSecretString("after")]), at: path)
                } throws: { ($0 as? SprocketError)?.code == .leaseLost }
                let read = try await client.readSecret(at: path)
                #expect(read.data["v"]?.unredactedValue == "before", "the fenced write never reached Vault")
                #expect(checked.operations.count == 1 && checked.operations.first?.hasPrefix("Vault ") == true, "\(checked.operations)")
                #expect(calls.stats().mutating == 1, "only the write before the fence was sent")
            } catch {
                try? await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }

    /// The operations the fence saw.
    final class Checked: Sendable {
        private let list = Mutex<[String]>([])
        func append(_ operation: String) { list.withLock { $0.append(operation) } }
        var operations: [String] { list.withLock { $0 } }
    }
}
