import ArgumentParser
import Foundation
import Orchestration
import SprocketCore

struct StateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state", abstract: "Export, import or migrate the state of a stack environment.",
        subcommands: [Export.self, Import.self, Migrate.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the state (history, fingerprints, sealed store) as JSON to stdout or a file.")

        @OptionGroup var options: GlobalOptions

        @Option(help: "Act on this stack name instead of reading the spec.")
        var stack: String?

        @Option(name: .shortAndLong, help: "Write to this file instead of stdout.")
        var output: String?

        func run() async throws {
            try await CommandRuntime.run(options) { runtime in
                let identity = try runtime.identity(stackOverride: stack)
                let bytes = try LocalStateStore.encode(try await runtime.stateStore(for: identity).export())
                if let output {
                    try AtomicFile.write(bytes, to: output, permissions: 0o600)
                } else {
                    FileHandle.standardOutput.write(Data(bytes))
                }
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Replace the state with an export (holds the lock while writing).")

        @OptionGroup var options: GlobalOptions

        @Option(help: "Act on this stack name instead of reading the spec.")
        var stack: String?

        @Argument(help: "The export file (`-` for stdin).")
        var input: String

        func run() async throws {
            try await CommandRuntime.run(options) { runtime in
                let identity = try runtime.identity(stackOverride: stack)
                let data = input == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: input)
                guard let data else {
                    throw SprocketError(.stateIO, "cannot read the export", subject: input, hint: "check the path")
                }
                let export: StateExport
                do {
                    export = try LocalStateStore.decoder().decode(StateExport.self, from: data)
                } catch {
                    throw SprocketError(.stateCorrupt, "not a state export: \(error)", subject: input)
                }
                let store = try runtime.stateStore(for: identity)
                try await runtime.runEnvironment.withRunLease(identity, command: "state import") { lease in
                    try await lease.check(before: "importing the state into \(store.location)")
                    try await store.importState(export)
                }
                runtime.console.err("imported \(export.runs.count) runs into \(store.location)")
            }
        }
    }

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy state and history from the current backend (--state) to another, holding both locks.",
            discussion: "The sealed secret store (ciphertext) goes along; its key stays where it is. Example: state migrate --to 's3://bucket/sprocket?endpoint=https://fra1.digitaloceanspaces.com&region=fra1'")

        @OptionGroup var options: GlobalOptions

        @Option(help: "Act on this stack name instead of reading the spec.")
        var stack: String?

        @Option(name: .customLong("to"), help: "The destination: s3://bucket/prefix?endpoint=…&region=…&path_style=true, or a local folder.")
        var destination: String

        func run() async throws {
            try await CommandRuntime.run(options) { runtime in
                let identity = try runtime.identity(stackOverride: stack)
                let source = try runtime.stateStore(for: identity)
                let target = try StateLocations.stateStore(url: destination, identity: identity, environment: runtime.environment)
                let count = try await StateMigration.migrate(from: source, to: target, command: "state migrate", now: Date())
                runtime.console.err("migrated \(count) runs of \(identity) from \(source.location) to \(target.location)")
                runtime.console.err("use --state \(destination) (or SPROCKET_STATE) from now on (the sealed secret store went along; machines using it need the same key file)")
            }
        }
    }
}
