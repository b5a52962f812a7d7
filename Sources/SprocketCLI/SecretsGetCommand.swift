import ArgumentParser
import Foundation
import SprocketCore
#if canImport(Glibc)
import Glibc
#endif

/// `secrets get NAME`: prints a local secret's value, to a terminal only unless `--reveal` (so that it does not
/// end up in a CI log or a file by accident).
struct SecretsGetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Print a secret value from the local encrypted store (to a terminal only, unless --reveal).")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var local: LocalSecretsOptions

    @Argument(help: "The secret's name in the local store.")
    var name: String

    @Flag(name: .customLong("reveal"), help: "Print the value even when stdout is not a terminal (a pipe or a file).")
    var reveal = false

    func run() async throws {
        try LocalSecretsAccess.checkName(name)
        try await CommandRuntime.run(options) { runtime in
            guard reveal || isatty(STDOUT_FILENO) == 1 else {
                throw SprocketError(.secretStore, "secret '\(name)': not printed, stdout is not a terminal",
                                    hint: "pass --reveal to print the value into a pipe or file on purpose")
            }
            let access = try LocalSecretsAccess(runtime: runtime, stackOverride: local.stack)
            let stored = try await runtime.withSharedSealedStore(access.identity, writes: false, command: "secrets get") {
                try access.open(creatingKey: false)?.value(named: name)
            }
            guard let value = stored else {
                throw SprocketError(.secretUnavailable, "secret '\(name)' is not set for \(access.identity.stack)/\(access.identity.environment)",
                                    subject: access.sealedPath, hint: "set it with `sprocketctl secrets set \(name)`")
            }
            // The one deliberate print of a value: straight to stdout, past the console's redaction.
            FileHandle.standardOutput.write(Data(value))
            if isatty(STDOUT_FILENO) == 1 { FileHandle.standardOutput.write(Data("\n".utf8)) }
        }
    }
}
