import ArgumentParser
import Foundation
import SprocketCore

/// `secrets list`: the local secrets of the stack environment: names, where the spec uses them, fingerprints and
/// when each was last set. Never a value.
struct SecretsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the local secrets: name, where used, fingerprint, updated at (never values).")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var local: LocalSecretsOptions

    struct Row: Encodable {
        var name: String
        var usedBy: [String]
        /// nil when the spec uses the secret but no value is stored.
        var fingerprint: String?
        var updatedAt: Date?
        var isSet: Bool
    }

    func run() async throws {
        try await CommandRuntime.run(options) { runtime in
            let access = try LocalSecretsAccess(runtime: runtime, stackOverride: local.stack)
            let stored = try await runtime.withSharedSealedStore(access.identity, writes: false, command: "secrets list") {
                try access.open(creatingKey: false)?.entries() ?? []
            }
            let rows = try Self.rows(stored: stored, usages: access.usages)
            if options.json {
                runtime.console.json(rows)
                return
            }
            guard !rows.isEmpty else {
                runtime.console.out("no local secrets for \(access.identity.stack)/\(access.identity.environment)")
                return
            }
            let formatter = ISO8601DateFormatter()
            for row in rows {
                let used = row.usedBy.isEmpty ? "unused" : "used by \(row.usedBy.joined(separator: ", "))"
                guard let fingerprint = row.fingerprint else {
                    runtime.console.out("\(row.name)  NOT SET  \(used)  (sprocketctl secrets set \(row.name))")
                    continue
                }
                let updated = row.updatedAt.map { formatter.string(from: $0) } ?? "-"
                runtime.console.out("\(row.name)  \(fingerprint)  \(updated)  \(used)")
            }
        }
    }

    /// Stored secrets and the ones the spec uses but nobody set, sorted by name.
    static func rows(stored: [LocalSecretStore.Entry], usages: [String: [String]]) -> [Row] {
        var rows = stored.map { Row(name: $0.name, usedBy: usages[$0.name] ?? [], fingerprint: $0.fingerprint, updatedAt: $0.updatedAt, isSet: true) }
        let storedNames = Set(stored.map(\.name))
        for (name, users) in usages where !storedNames.contains(name) {
            rows.append(Row(name: name, usedBy: users, fingerprint: nil, updatedAt: nil, isSet: false))
        }
        return rows.sorted { $0.name < $1.name }
    }
}
