import Foundation
import SprocketTestSupport
import Testing

/// `doppler: {source: local}`: an environment that reads the Doppler names of the manifest from its local encrypted
/// store, so it runs with development values and no Doppler account (the Sprocket stack's `local` environment).
@Suite("Manifest secrets from the local store instead of Doppler (doppler.source: local)")
struct SecretsDopplerLocalSourceTests {
    static let canary = "CANARY-doppler-local-51c0ffee"

    static func withStack(_ body: (TemporaryDirectory, [String: String]) async throws -> Void) async throws {
        let folder = try TemporaryDirectory(prefix: "doppler-local-source")
        defer { folder.remove() }
        try folder.write("stack.yaml", """
            stack: dopplerlocal
            settings: {doppler_source: doppler}
            environments:
              prod: {}
              dev: {settings: {doppler_source: local}}
            layers: [app]
            doppler: {project: shop, config: prd, source: "${doppler_source}"}
            secrets:
              api-token:
                doppler: {name: API_TOKEN}
                consumers: [web]
            """)
        try folder.write("app.yaml", "services:\n  web:\n    image: example/web\n")
        // No Doppler: an unset token and an API host nothing listens on.
        let environment = ["SPROCKET_KEY_FILE": "\(folder.path)/key", "SPROCKET_STATE_DIR": "\(folder.path)/state", "HOME": folder.path,
                           "DOPPLER_API_HOST": "http://127.0.0.1:9"]
        try await body(folder, environment)
    }

    @Test("without the value: a clear error naming the local secret and `secrets set`; with it: sync and diff pass, nothing printed")
    func syncFromLocalStore() async throws {
        try await Self.withStack { folder, environment in
            func run(_ arguments: [String]) async throws -> CLIRun {
                try await CLIBinary.runDetached(arguments + ["-f", folder.path, "--env", "dev"], environment: environment)
            }
            let list = try await run(["secrets", "list", "--json"])
            #expect(list.stdout.contains(#"{"isSet":false,"name":"API_TOKEN","usedBy":["secrets\/api-token"]}"#)
                    || list.stdout.contains(#"{"isSet":false,"name":"API_TOKEN","usedBy":["secrets/api-token"]}"#), "\(list.stdout)\(list.stderr)")
            let missing = try await run(["secrets", "sync"])
            #expect(missing.status == 1, "\(missing.stdout)\(missing.stderr)")
            #expect(missing.stderr.contains("local secret `API_TOKEN` is not set") && missing.stderr.contains("secrets set API_TOKEN")
                    && missing.stderr.contains("stack.yaml:"), "\(missing.stderr)")

            try folder.write("token.txt", Self.canary)
            let set = try await run(["secrets", "set", "API_TOKEN", "--from-file", "\(folder.path)/token.txt"])
            #expect(set.status == 0, "\(set.stderr)")
            let sync = try await run(["secrets", "sync"])
            #expect(sync.status == 0, "\(sync.stdout)\(sync.stderr)")
            // Not deployed yet: the source and the sealed store agree, the service hop is missing (exit 2).
            let diff = try await run(["secrets", "diff"])
            #expect(diff.status == 2 && diff.stdout.contains("source   local store API_TOKEN"), "\(diff.stdout)\(diff.stderr)")
            let docs = try await run(["docs"])
            #expect(docs.stdout.contains("local store API_TOKEN"), "docs name the source: \(docs.stdout)")
            for output in [missing, set, sync, diff, docs] {
                #expect(!output.stdout.contains(Self.canary) && !output.stderr.contains(Self.canary), "the value leaked")
            }

            // The production environment of the same spec still reads Doppler (and fails here, where none answers).
            let prod = try await CLIBinary.runDetached(["secrets", "sync", "-f", folder.path, "--env", "prod"], environment: environment)
            #expect(prod.status != 0 && prod.stderr.contains("DOPPLER_TOKEN"), "\(prod.stderr)")
        }
    }

    @Test("an unknown doppler.source is a spec error at its line")
    func unknownSource() async throws {
        let folder = try TemporaryDirectory(prefix: "doppler-source-bad")
        defer { folder.remove() }
        try folder.write("stack.yaml", "stack: x\nlayers: [app]\ndoppler: {source: vault}\n")
        try folder.write("app.yaml", "services:\n  web:\n    image: example/web\n")
        let run = try await CLIBinary.runDetached(["validate", "-f", folder.path])
        let output = run.stdout + run.stderr
        #expect(run.status == 3 && output.contains("stack.yaml:3") && output.contains("`doppler.source` is `vault`"), "\(output)")
    }
}
