import ArgumentParser
import Foundation
import SprocketCore

/// `secrets set NAME`: seals a value into the stack environment's store, for secrets declared `local:`.
/// The value never comes from the command line (it would be in the shell history and `ps`).
struct SecretsSetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Store a secret value in the local encrypted store (value on stdin or --from-file).",
        discussion: """
            On a terminal the value is read as one line with echo off; from a pipe every byte is kept, a trailing \
            newline included (use `printf %s`).
            """)

    @OptionGroup var options: GlobalOptions
    @OptionGroup var local: LocalSecretsOptions

    @Argument(help: "The secret's name in the local store (as in `local: NAME`).")
    var name: String

    @Option(name: .customLong("from-file"), help: "Read the value from this file (exactly its bytes) instead of stdin.")
    var fromFile: String?

    func run() async throws {
        try LocalSecretsAccess.checkName(name)
        try await CommandRuntime.run(options) { runtime in
            let access = try LocalSecretsAccess(runtime: runtime, stackOverride: local.stack)
            let value: [UInt8]
            if let fromFile {
                guard let data = FileManager.default.contents(atPath: fromFile) else {
                    throw SprocketError(.secretStore, "the file cannot be read", subject: fromFile, hint: "check the path and its permissions")
                }
                value = Array(data)
            } else {
                value = TerminalInput.readSecret(prompt: "Value of \(name) (not echoed): ")
            }
            guard !value.isEmpty else {
                throw SprocketError(.secretStore, "secret '\(name)': the value is empty, nothing stored",
                                    hint: "give the value on stdin (e.g. `printf %s \"$VALUE\" | sprocketctl secrets set \(name)`) or with --from-file")
            }
            SecretRedactor.shared.register(value, name: name)
            let stored: String? = try await runtime.withSharedSealedStore(access.identity, writes: true, command: "secrets set") {
                guard let store = try access.open(creatingKey: true) else { return nil }
                try store.set(name, value: value)
                return try store.entries().first { $0.name == name }?.fingerprint ?? ""
            }
            guard let fingerprint = stored else { return }
            if options.json {
                runtime.console.json(SetOutput(name: name, stack: access.identity.stack, environment: access.identity.environment, fingerprint: fingerprint))
            } else {
                runtime.console.out("\(name): stored for \(access.identity.stack)/\(access.identity.environment) (fingerprint \(fingerprint))")
            }
        }
    }

    struct SetOutput: Encodable {
        var name: String
        var stack: String
        var environment: String
        var fingerprint: String
    }
}
