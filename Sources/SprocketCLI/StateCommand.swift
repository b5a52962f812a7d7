import ArgumentParser
import Foundation
import SprocketCore

struct StateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state", abstract: "Export or import the local state of a stack environment.",
        subcommands: [Export.self, Import.self])

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
                let bytes = try LocalStateStore.encode(try runtime.store(for: identity).export())
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
                let store = runtime.store(for: identity)
                let lock = try StateLock.acquire(directory: store.directory, command: "state import")
                defer { lock.release() }
                try store.importState(export)
                runtime.console.err("imported \(export.runs.count) runs into \(store.directory)")
            }
        }
    }
}
