/// Where a secret's value comes from and which Vault field it passes through, in words an operator can act on
/// (`doppler sprocket/prd JWT_SECRET`, `environment API_KEY`, `file secrets/x.txt`, `generated (48 characters)`),
/// for `docs`, `graph` and `doctor`. Reads names and paths only, never a value.
public enum SecretSourceText {
    /// The source of a `secrets:` manifest entry, with the manifest's `doppler:` defaults filled in (an unset
    /// project or config is left out: `DOPPLER_PROJECT`/`DOPPLER_CONFIG` or the token's own scope apply then).
    public static func manifest(_ entry: SecretManifestEntry, in stack: StackSpec) -> String {
        switch entry.source {
        case .doppler(let project, let config, let name):
            let scope = [project ?? stack.secretManifest.dopplerProject, config ?? stack.secretManifest.dopplerConfig].compactMap { $0 }
            return scope.isEmpty ? "doppler \(name)" : "doppler \(scope.joined(separator: "/")) \(name)"
        case .file(let path): return "file \(StackInventoryBuilder.relative(path, to: stack.rootDirectory))"
        case .environment, .generate, .local, .external, .vaultToken, .vaultUnsealer, .manifest: return entry.source.summary
        }
    }

    /// The Vault field a manifest entry is provisioned to (`platform/prod/jwt#value`); nil when it has none, or when
    /// the stack declares no Vault (then `vault:` is ignored and the value goes straight to the Docker secret).
    public static func vault(_ entry: SecretManifestEntry, in stack: StackSpec) -> String? {
        guard stack.vault != nil else { return nil }
        return entry.vault?.description
    }

    /// The manifest entry behind a layer secret of source `.manifest(name)`.
    public static func manifestEntry(named name: String, in stack: StackSpec) -> SecretManifestEntry? {
        stack.secretManifest.entries.first { $0.name == name }
    }
}
