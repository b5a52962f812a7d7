import Foundation
import S3
import SprocketTestSupport
import Testing

/// With state on S3 the sealed secret store is shared there: two machines (two local state folders, the same key
/// and the same S3 state) see each other's secrets; a differing local copy is kept aside, never lost.
@Suite("shared sealed store through S3 state (moto)")
struct SharedSealedStoreTests {
    static let canaryA = "CANARY-shared-a-41f0c2"
    static let canaryB = "CANARY-shared-b-9e7d13"

    @Test("secrets set on one machine is read on another; the other's own set is seen back; S3 holds ciphertext only")
    func twoMachines() async throws {
        let folder = try TemporaryDirectory(prefix: "shared-sealed")
        defer { folder.remove() }
        try folder.write("stack.yaml", "stack: sharedsec\nlayers: [app]\n")
        try folder.write("app.yaml", """
            secrets:
              api: {local: API_KEY}
              token: {local: BOT_TOKEN}
            services:
              web:
                image: example/web
                secrets: [api, token]

            """)
        try await MotoStateBucket.with(prefix: "shared-sealed") { state in
            let (bucket, client) = (state.bucket, state.client)
            func machine(_ name: String, _ arguments: [String], stdin: String? = nil) async throws -> CLIRun {
                let environment = state.awsEnvironment.merging([
                    "SPROCKET_KEY_FILE": "\(folder.path)/shared.key", "SPROCKET_STATE": state.stateURL(), "SPROCKET_STATE_DIR": "\(folder.path)/\(name)",
                ]) { $1 }
                let command = ([try CLIBinary.path()] + arguments + ["-f", folder.path]).map { "'\($0)'" }.joined(separator: " ")
                if let stdin { try folder.write("\(name).stdin", stdin) }
                return try await CLIBinary.runDetached(
                    ["-c", command + (stdin == nil ? "" : " < '\(folder.path)/\(name).stdin'")], environment: environment, executable: "/bin/sh")
            }

            let setA = try await machine("a", ["secrets", "set", "API_KEY"], stdin: Self.canaryA)
            #expect(setA.status == 0, "\(setA.stderr)")
            let getB = try await machine("b", ["secrets", "get", "API_KEY", "--reveal"])
            #expect(getB.status == 0 && getB.stdout == Self.canaryA, "machine b reads what a set: \(getB.stdout)\(getB.stderr)")

            let setB = try await machine("b", ["secrets", "set", "BOT_TOKEN"], stdin: Self.canaryB)
            #expect(setB.status == 0, "\(setB.stderr)")
            let listA = try await machine("a", ["secrets", "list", "--json"])
            #expect(listA.stdout.contains("API_KEY") && listA.stdout.contains("BOT_TOKEN"), "\(listA.stdout)\(listA.stderr)")
            #expect(listA.stdout.components(separatedBy: "\"fingerprint\"").count == 3, "both are set on a: \(listA.stdout)")

            let shared = try #require(try await client.getObject(bucket, "st/sharedsec/default/secrets.sealed"))
            let text = String(decoding: shared.body, as: UTF8.self)
            #expect(!text.contains(Self.canaryA) && !text.contains(Self.canaryB), "S3 holds ciphertext only")
            for run in [setA, getB, setB, listA] {
                #expect(!run.stderr.contains(Self.canaryA) && !run.stderr.contains(Self.canaryB))
            }

            // A machine whose local copy differs (e.g. used before the state moved to S3) keeps it aside.
            try AtomicFileFixture.write("{\"schemaVersion\":1,\"entries\":{}}", to: "\(folder.path)/c/secrets.sealed")
            let listC = try await machine("c", ["secrets", "list"])
            #expect(listC.status == 0 && listC.stderr.contains("the local copy was kept at"), "\(listC.stderr)")
            let kept = try FileManager.default.contentsOfDirectory(atPath: "\(folder.path)/c").filter { $0.hasPrefix("secrets.sealed.local-") }
            #expect(kept.count == 1, "\(kept)")
        }
    }
}

/// Writes a file, creating its folder.
enum AtomicFileFixture {
    static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
}
