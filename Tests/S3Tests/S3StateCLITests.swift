import Foundation
import SprocketCore
import SprocketTestSupport
import Testing
@testable import S3

/// `sprocketctl --state s3://…` as a separate process against moto: import, export, migrate, and the lock held by
/// another process (this test) refusing it with the holder named.
@Suite("sprocketctl with state on S3 (moto)")
struct S3StateCLITests {
    @Test("state import/export/migrate through --state and SPROCKET_STATE; a held lock refuses with exit code 4")
    func stateCommands() async throws {
        try await S3StateStoreTests.withStateBucket { moto, bucket in
            let folder = try TemporaryDirectory(prefix: "s3-cli")
            defer { folder.remove() }
            let identity = StackIdentity(stack: "cli-\(uniqueSuffix())", environment: "default")
            let seed = LocalStateStore(directory: "\(folder.path)/seed", identity: identity)
            try seed.record(S3StateStoreTests.run("20260101T000000.000Z-00000001"))
            try seed.record(S3StateStoreTests.run("20260102T000000.000Z-00000002", outcome: .failed))
            try AtomicFile.write(try LocalStateStore.encode(try seed.export()), to: "\(folder.path)/export.json")

            let url = "s3://\(bucket)/cli?endpoint=\(moto.endpoint)&region=us-east-1&path_style=true"
            let environment = [
                "AWS_ACCESS_KEY_ID": MotoFixtures.anyCredentials.accessKeyID,
                "AWS_SECRET_ACCESS_KEY": MotoFixtures.anyCredentials.secretAccessKey,
            ]
            let imported = try await CLIBinary.runDetached(
                ["state", "import", "--stack", identity.stack, "--state", url, "\(folder.path)/export.json"],
                environment: environment, directory: folder.path)
            #expect(imported.status == 0, "\(imported.stderr)")
            #expect(imported.stderr.contains("imported 2 runs into s3://\(bucket)/cli/\(identity.stack)/default"))

            // Another process (this test) holds the lock: the CLI is refused and names it.
            let sameState = S3StateStore(location: try S3StateLocation(url: url), identity: identity, credentials: MotoFixtures.anyCredentials)
            let holder = try await sameState
                .withLock(command: "up --env default (held by the test)", now: Date()) {
                    try await CLIBinary.runDetached(
                        ["state", "import", "--stack", identity.stack, "--state", url, "\(folder.path)/export.json"],
                        environment: environment, directory: folder.path)
                }
            #expect(holder.status == 4, "\(holder.stderr)")
            #expect(holder.stderr.contains("running `up --env default (held by the test)`"), "\(holder.stderr)")

            let exported = try await CLIBinary.runDetached(
                ["state", "export", "--stack", identity.stack], environment: environment.merging(["SPROCKET_STATE": url]) { $1 },
                directory: folder.path)
            #expect(exported.status == 0, "\(exported.stderr)")
            let export = try LocalStateStore.decoder().decode(StateExport.self, from: Data(exported.stdout.utf8))
            #expect(export.runs.map(\.id) == ["20260101T000000.000Z-00000001", "20260102T000000.000Z-00000002"])

            let migrated = try await CLIBinary.runDetached(
                ["state", "migrate", "--stack", identity.stack, "--state", url, "--to", "\(folder.path)/local"],
                environment: environment, directory: folder.path)
            #expect(migrated.status == 0, "\(migrated.stderr)")
            let local = LocalStateStore(directory: LocalStateStore.directory(root: "\(folder.path)/local", identity: identity), identity: identity)
            #expect(try local.runs() == seed.runs())
            #expect(try await MotoFixtures.client(moto).headObject(bucket, "cli/\(identity.stack)/default/lock.json") == nil)
        }
    }
}
