import Vault

/// One line about a token, for `up` and `vault status`. Names the token, never its value.
enum VaultTokenLine {
    static func describe(_ report: VaultTokenKeeper.Report) -> String {
        let expiry = report.expiresAt.map { "expires \($0.formatted(.iso8601))" } ?? "expiry unknown"
        var line = "vault token \(report.name) (\(report.secret) -> \(report.consumers.joined(separator: ", "))): \(report.action.rawValue), \(expiry)"
        if report.periodic { line += ", periodic" }
        if let note = report.note { line += "; \(note)" }
        return line
    }
}
