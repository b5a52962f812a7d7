import SecretPipeline

/// One line about a synced secret, for `up` and `secrets sync`. Names the secret and its version, never its value.
enum SecretSyncLine {
    static func describe(_ report: SecretManifestSyncer.Report) -> String {
        var line = "secret \(report.name) (\(report.source)"
        if let vault = report.vault { line += " -> vault \(vault)" + (report.vaultVersion.map { " v\($0)" } ?? "") }
        return line + "): \(report.action.rawValue)"
    }
}
