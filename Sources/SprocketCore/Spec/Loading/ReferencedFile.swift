/// Checks while loading that a file the spec names for a value (`file:` of a secret or config, `template:`) is there.
///
/// A secret's file is read only when `up` resolves the secrets (`Secrets/SecretResolver.swift`), so without this
/// check `validate` and `plan --offline` pass a path that names nothing and the user learns it mid-deployment.
/// Only presence is checked, not readability: a key readable only by the user who runs `up` (a root-owned
/// `/etc/ssl/private/...`) is still a valid spec where `validate` runs.
enum ReferencedFile {
    /// True when `path`, as written in `origin`, names an existing file; else reports why at `location`.
    ///
    /// - Parameters:
    ///   - what: how the message names the path, e.g. "config file", "the file".
    ///   - owner: what the path belongs to, e.g. "secret `tls-key`"; nil when `what` says it.
    static func exists(
        _ path: String, what: String, of owner: String? = nil, writtenAt location: SourceLocation, in origin: SpecFileOrigin,
        diagnostics: SpecDiagnosticCollector
    ) -> Bool {
        let belongs = owner.map { " of \($0)" } ?? ""
        guard !path.isEmpty else {
            diagnostics.error(location, "\(what)\(belongs) is empty", hint: "name the file that holds the value")
            return false
        }
        let resolved = origin.absolute(path)
        let shown = "\(what) `\(origin.display(path))`\(belongs)"
        // Relative paths start from the declaring file's folder (`SpecFileOrigin.absolute`); say so with the folder.
        let start = SpecFiles.isAbsolute(path)
            ? "" : "; a relative path starts from the folder of `\(origin.displayPath)` (\(SpecFiles.directory(of: origin.absolutePath)))"
        switch SpecFiles.kind(of: resolved) {
        case .file:
            return true
        case .missing:
            diagnostics.error(location, "\(shown) does not exist: nothing at `\(resolved)`", hint: "create the file, or fix the path\(start)")
        case .directory:
            diagnostics.error(location, "\(shown) is a folder, not a file: `\(resolved)`", hint: "name the file inside it\(start)")
        }
        return false
    }
}
