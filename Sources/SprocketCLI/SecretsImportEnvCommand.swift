import ArgumentParser
import Doppler
import Foundation
import SprocketCore

/// `secrets import-env FILE`: stores the assignments of a `.env` file as local secrets, all or nothing. The file is
/// read by the strict parser: a duplicate key, a stray or unterminated quote, a value broken over lines or an
/// invalid name is an error at file:line, and then nothing is imported.
struct SecretsImportEnvCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-env", abstract: "Import NAME=value lines of a .env file into the local encrypted store (strict, all or nothing).")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var local: LocalSecretsOptions

    @Argument(help: "The .env file.")
    var file: String

    @Option(name: .customLong("only"), help: "Import only these names (comma-separated); each must be in the file.")
    var only: String?

    func run() async throws {
        try await CommandRuntime.run(options) { runtime in
            let access = try LocalSecretsAccess(runtime: runtime, stackOverride: local.stack)
            guard let data = FileManager.default.contents(atPath: file) else {
                throw SprocketError(.secretStore, "the file cannot be read", subject: file, hint: "check the path and its permissions")
            }
            let parsed: SecretEnvFile
            do {
                parsed = try SecretEnvFileParser(nameRule: .posix).parse(Array(data), source: file)
            } catch let error as SecretEnvFileError {
                throw SprocketError(.secretStore, "\(error)\nnothing imported",
                                    hint: "fix every line listed (the file is read strictly so that no value is taken two ways)")
            }
            let selected = try Self.select(parsed, only: only)
            let imported: Bool = try await runtime.withSharedSealedStore(access.identity, writes: true, command: "secrets import-env") {
                guard let store = try access.open(creatingKey: true) else { return false }
                try store.set(selected.map { ($0.name, Array($0.value.unredactedValue.utf8)) })
                return true
            }
            guard imported else { return }
            for entry in selected { SecretRedactor.shared.register(entry.value.unredactedValue, name: entry.name) }
            let names = selected.map(\.name)
            if options.json {
                runtime.console.json(ImportOutput(imported: names, stack: access.identity.stack, environment: access.identity.environment))
            } else {
                runtime.console.out("imported \(names.count) secret(s) into \(access.identity.stack)/\(access.identity.environment): \(names.joined(separator: ", "))")
            }
        }
    }

    /// The entries to import: all, or those `--only` names; refuses empty values and names the file lacks.
    static func select(_ parsed: SecretEnvFile, only: String?) throws -> [SecretEnvFile.Entry] {
        var entries = parsed.entries
        if let only {
            let wanted = only.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let missing = wanted.filter { name in !entries.contains { $0.name == name } }
            guard missing.isEmpty else {
                throw SprocketError(.secretStore, "--only names \(missing.joined(separator: ", ")), not assigned in the file", subject: parsed.source,
                                    hint: "check the spelling; names are case-sensitive")
            }
            entries = entries.filter { wanted.contains($0.name) }
        }
        let problems = entries.filter { $0.value.unredactedValue.isEmpty }.map { "\(parsed.source):\($0.line): \($0.name) has an empty value" }
            + entries.filter { $0.value.unredactedValue.contains(where: \.isNewline) }.map {
                "\(parsed.source):\($0.line): the value of \($0.name) has an embedded line break (use `secrets set \($0.name) --from-file PATH` for multi-line values)"
            }
            + entries.filter { !LocalSecretStore.isValidName($0.name) }.map { "\(parsed.source):\($0.line): \($0.name) is not a valid local secret name" }
        guard problems.isEmpty else {
            throw SprocketError(.secretStore, problems.joined(separator: "\n") + "\nnothing imported",
                                hint: "give every secret a value (or leave it out with --only)")
        }
        guard !entries.isEmpty else {
            throw SprocketError(.secretStore, "the file assigns no secrets, nothing imported", subject: parsed.source)
        }
        return entries
    }

    struct ImportOutput: Encodable {
        var imported: [String]
        var stack: String
        var environment: String
    }
}
