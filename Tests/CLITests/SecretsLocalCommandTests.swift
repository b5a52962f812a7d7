import Foundation
import SprocketTestSupport
import Testing

/// `secrets set|get|list|import-env` through the built binary, on a spec with a `local:` secret.
@Suite("SecretsLocalCLI: set, get, list and import-env through the built binary")
struct SecretsLocalCommandTests {
    static let canary = "CANARY-cli-local-9d2e71aa"

    struct Setup {
        let folder: TemporaryDirectory
        var environment: [String: String] {
            ["SPROCKET_KEY_FILE": "\(folder.path)/key", "SPROCKET_STATE": "\(folder.path)/state", "HOME": folder.path,
             "SPROCKET_STATE_DIR": "", "DOPPLER_TOKEN": "", "VAULT_TOKEN": ""]
        }

        func run(_ arguments: [String]) async throws -> CLIRun {
            try await CLIBinary.runDetached(arguments, environment: environment.filter { !$0.value.isEmpty }, directory: folder.path)
        }

        /// Runs `sprocketctl` with `input` on its standard input (through `sh`, since ``CLIBinary`` closes stdin).
        func run(_ arguments: [String], stdin input: String) async throws -> CLIRun {
            try folder.write("stdin.txt", input)
            let command = ([try CLIBinary.path()] + arguments).map { "'\($0)'" }.joined(separator: " ") + " < '\(folder.path)/stdin.txt'"
            return try await CLIBinary.runDetached(["-c", command], environment: environment.filter { !$0.value.isEmpty },
                                                   directory: folder.path, executable: "/bin/sh")
        }
    }

    static func withSetup(_ body: (Setup) async throws -> Void) async throws {
        let folder = try TemporaryDirectory(prefix: "secrets-local-cli")
        defer { folder.remove() }
        try folder.write("stack.yaml", "stack: localsec\nlayers: [app]\n")
        try folder.write("app.yaml", """
            secrets:
              api:
                local: API_KEY
            services:
              web:
                image: example/web
                secrets: [api]

            """)
        try await body(Setup(folder: folder))
    }

    static func expectNoCanary(_ runs: [CLIRun], _ canary: String = canary, sourceLocation: SourceLocation = #_sourceLocation) {
        for run in runs {
            #expect(!run.stdout.contains(canary) && !run.stderr.contains(canary), "a secret was printed", sourceLocation: sourceLocation)
        }
    }

    @Test("set from stdin, then validate and plan --offline work; list shows the fingerprint; get refuses a pipe unless --reveal")
    func setListGet() async throws {
        try await Self.withSetup { setup in
            let before = try await setup.run(["plan", "--offline"])
            let set = try await setup.run(["secrets", "set", "API_KEY"], stdin: Self.canary)
            #expect(set.status == 0, "\(set.stderr)")
            let validate = try await setup.run(["validate"])
            #expect(validate.status == 0, "\(validate.stderr)")
            let plan = try await setup.run(["plan", "--offline"])
            #expect(plan.status == 0, "\(plan.stderr)")
            #expect(before.stdout.contains("_api_unresolved") && !plan.stdout.contains("_api_unresolved"), "the plan sees the value once set: \(plan.stdout)")

            let list = try await setup.run(["secrets", "list", "--json"])
            #expect(list.status == 0, "\(list.stderr)")
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
            #expect(rows.count == 1)
            #expect(rows.first?["name"] as? String == "API_KEY")
            #expect((rows.first?["usedBy"] as? [String]) == ["app/api"])
            #expect((rows.first?["fingerprint"] as? String)?.count == 12)

            let refused = try await setup.run(["secrets", "get", "API_KEY"])
            #expect(refused.status != 0 && refused.stderr.contains("--reveal"), "\(refused.stderr)")
            Self.expectNoCanary([before, set, validate, plan, list, refused])

            let revealed = try await setup.run(["secrets", "get", "API_KEY", "--reveal"])
            #expect(revealed.status == 0 && revealed.stdout == Self.canary, "exactly the bytes set: \(revealed.stderr)")
        }
    }

    @Test("set refuses an empty value; --stack works without a spec")
    func emptyAndStackOverride() async throws {
        try await Self.withSetup { setup in
            let empty = try await setup.run(["secrets", "set", "API_KEY"], stdin: "")
            #expect(empty.status != 0 && empty.stderr.contains("empty"), "\(empty.stderr)")
            let set = try await setup.run(["secrets", "set", "OTHER", "--stack", "nospec", "--env", "prod"], stdin: Self.canary)
            #expect(set.status == 0, "\(set.stderr)")
            let list = try await setup.run(["secrets", "list", "--stack", "nospec", "--env", "prod"])
            #expect(list.status == 0 && list.stdout.contains("OTHER"), "\(list.stdout)\(list.stderr)")
            let specList = try await setup.run(["secrets", "list"])
            #expect(specList.stdout.contains("API_KEY") && specList.stdout.contains("NOT SET") && !specList.stdout.contains("OTHER"))
            Self.expectNoCanary([empty, set, list, specList])
        }
    }

    @Test("import-env refuses a file with a duplicate key at file:line and imports nothing; a good file imports with --only")
    func importEnv() async throws {
        try await Self.withSetup { setup in
            try setup.folder.write("bad.env", "API_KEY=\(Self.canary)\nOTHER=second-value\nAPI_KEY=again-value\n")
            let bad = try await setup.run(["secrets", "import-env", "bad.env"])
            #expect(bad.status != 0 && bad.stderr.contains("bad.env:3") && bad.stderr.contains("nothing imported"), "\(bad.stderr)")
            let afterBad = try await setup.run(["secrets", "list", "--json"])
            #expect(afterBad.stdout.contains("\"isSet\":false") && !afterBad.stdout.contains("OTHER"), "\(afterBad.stdout)")

            try setup.folder.write("quote.env", "API_KEY=abc\"def\n")
            let quote = try await setup.run(["secrets", "import-env", "quote.env"])
            #expect(quote.status != 0 && quote.stderr.contains("quote.env:1"), "\(quote.stderr)")

            try setup.folder.write("good.env", "API_KEY=\(Self.canary)\nOTHER=second-value\n")
            let good = try await setup.run(["secrets", "import-env", "good.env", "--only", "API_KEY"])
            #expect(good.status == 0, "\(good.stderr)")
            let list = try await setup.run(["secrets", "list"])
            #expect(list.stdout.contains("API_KEY") && !list.stdout.contains("OTHER"), "\(list.stdout)")
            Self.expectNoCanary([bad, afterBad, quote, good, list])
        }
    }

    @Test("import-env refuses each kind of bad line at file:line and imports nothing", arguments: [
        ("API_KEY=\"unterminated-\(canary)\nOTHER=x-value\n", "bad.env:1"),
        ("OTHER=ok-value\nAPI_KEY=\"line-one\nline-two-\(canary)\"\n", "bad.env:2"),
        ("OTHER=ok-value\n9BAD=\(canary)\n", "bad.env:2"),
        ("OTHER=ok-value\nAPI_KEY=\n", "bad.env:2"),
    ])
    func importEnvRefuses(content: String, position: String) async throws {
        try await Self.withSetup { setup in
            try setup.folder.write("bad.env", content)
            let run = try await setup.run(["secrets", "import-env", "bad.env"])
            #expect(run.status != 0 && run.stderr.contains(position) && run.stderr.contains("nothing imported"), "\(run.stderr)")
            let list = try await setup.run(["secrets", "list", "--json"])
            #expect(!list.stdout.contains("OTHER") && !list.stdout.contains("\"isSet\":true"), "\(list.stdout)")
            Self.expectNoCanary([run, list])
        }
    }

    @Test("set --from-file stores the file's exact bytes")
    func fromFile() async throws {
        try await Self.withSetup { setup in
            try setup.folder.write("value.txt", "multi\nline-\(Self.canary)\n")
            let set = try await setup.run(["secrets", "set", "API_KEY", "--from-file", "value.txt"])
            #expect(set.status == 0, "\(set.stderr)")
            let get = try await setup.run(["secrets", "get", "API_KEY", "--reveal"])
            #expect(get.stdout == "multi\nline-\(Self.canary)\n")
            Self.expectNoCanary([set])
        }
    }

    @Test("a file secret's value inside an error message is printed redacted")
    func redactsErrors() async throws {
        let folder = try TemporaryDirectory(prefix: "secrets-redact-cli")
        defer { folder.remove() }
        try folder.write("canary.txt", Self.canary + "\n")
        try folder.write("stack.yaml", "stack: redact\nlayers: [app]\n")
        // The second secret's local name is the first one's value: its "not set" error, raised once the first value is
        // read, quotes it. (A missing file would stop the load before any value is read: the spec is invalid.)
        try folder.write("app.yaml", """
            secrets:
              first:
                file: ./canary.txt
              second:
                local: \(Self.canary)
            services:
              web:
                image: example/web
                secrets: [first, second]

            """)
        let run = try await CLIBinary.runDetached(
            ["plan"], environment: ["SPROCKET_KEY_FILE": "\(folder.path)/key", "SPROCKET_STATE": "\(folder.path)/state",
                                    "DOCKER_HOST": "unix://\(folder.path)/no-docker.sock"],
            directory: folder.path)
        #expect(run.status != 0)
        #expect(run.stderr.contains("<redacted:first>"), "\(run.stderr)")
        Self.expectNoCanary([run])
    }
}
