/// A Docker config declared by a layer (`configs:`). Its content is rendered by the loader.
public struct ConfigSpec: Sendable, Hashable {
    public enum Source: Sendable, Hashable {
        /// `file:`, resolved to an absolute path.
        case file(path: String)
        /// `content:`, inline (already interpolated).
        case content
        /// `template:` a Mustache file rendered over the settings.
        case template(path: String)
        /// `template_content:` an inline Mustache template.
        case templateContent
        /// `external: true`: an existing config with this name; not created.
        case external(name: String)
        /// `generated:` content the tool derives from the whole spec (e.g. Traefik's static configuration).
        case generated(GeneratedConfig)
    }

    /// Configs whose content sprocketctl writes itself, from the spec.
    public enum GeneratedConfig: String, Sendable, Hashable, CaseIterable {
        /// `traefik.yml` from `routing:` (entry points, redirect, ACME resolver, provider, API, ping).
        case traefikStatic = "traefik-static"
        /// `vault.hcl` from `vault.server` (listener, storage, seal); added by the loader, not declared by hand.
        case vaultHCL = "vault-hcl"
    }

    public var name: String
    public var source: Source
    /// The bytes to store (nil only for external configs).
    public var content: [UInt8]?
    public var labels: [String: String]
    public var location: SourceLocation

    public init(name: String, source: Source, content: [UInt8]?, labels: [String: String] = [:], location: SourceLocation) {
        self.name = name
        self.source = source
        self.content = content
        self.labels = labels
        self.location = location
    }
}

/// A Docker secret declared by a layer (`secrets:`). The value is read later, by a ``SecretResolver``,
/// so that the spec model itself never holds a secret.
public struct SecretSpec: Sendable, Hashable {
    /// Where a secret's value comes from: the one source type of layer secrets and of the `secrets:` manifest's
    /// entries (``SecretManifestEntry``). A manifest entry has `doppler`, `environment`, `file`, `generate` (always
    /// alphanumeric) or `local`; a layer secret every case but `doppler`, which only the manifest reads.
    public enum Source: Sendable, Hashable {
        /// A secret of a Doppler config (manifest entries only); project/config nil means the manifest's defaults,
        /// then `DOPPLER_PROJECT`/`DOPPLER_CONFIG`, then the service token's own scope.
        case doppler(project: String?, config: String?, name: String)
        /// `file:`, resolved to an absolute path.
        case file(path: String)
        /// `environment:` the name of a process environment variable.
        case environment(variable: String)
        /// `generate:` random, created once and kept in the sealed store.
        case generate(length: Int, alphabet: SecretAlphabet)
        /// `external: true`: an existing secret with this name; not created.
        case external(name: String)
        /// A Vault token of `vault.tokens` (by token name), minted by `up` once Vault is unsealed and kept in the
        /// sealed store; the loader adds one such secret per token to the layer of its first consumer.
        case vaultToken(token: String)
        /// Half of the unsealer's custody (``VaultUnsealerSecret``): derived by `up` once Vault is initialised.
        case vaultUnsealer(VaultUnsealerSecret)
        /// `local: NAME` (or `local: true`, `source: local`): a value set by hand with `sprocketctl secrets set NAME`
        /// into the stack's sealed store (under ``SealedStoreKey/local(_:)``); the embedded default for local use.
        case local(name: String)
        /// A secret of the stack's `secrets:` manifest (by name): `secrets sync` keeps its value in the sealed store;
        /// the loader adds one such secret per manifest entry to the layer of its first consumer.
        case manifest(name: String)

        /// Whether the value lives in the stack's sealed store (generated, or minted by Vault).
        public var usesSealedStore: Bool {
            switch self {
            case .generate, .vaultToken, .vaultUnsealer, .local, .manifest: true
            case .file, .environment, .external, .doppler: false
            }
        }

        /// A short description without any value, e.g. `doppler GOOGLE_CLIENT_SECRET`.
        public var summary: String {
            switch self {
            case .doppler(let project, let config, let name):
                let scope = [project, config].compactMap { $0 }.joined(separator: "/")
                return scope.isEmpty ? "doppler \(name)" : "doppler \(scope) \(name)"
            case .environment(let variable): return "environment \(variable)"
            case .file(let path): return "file \(path)"
            case .generate(let length, _): return "generated (\(length) characters)"
            case .local(let name): return "local store \(name)"
            case .external(let name): return "external secret \(name)"
            case .vaultToken(let token): return "Vault token \(token)"
            case .vaultUnsealer(let part): return "the unsealer's \(part.rawValue)"
            case .manifest(let name): return "manifest secret \(name)"
            }
        }
    }

    public var name: String
    public var source: Source
    public var labels: [String: String]
    /// Where the source and its parts are written, by key path (`generate.length`, `environment`), so a bad value
    /// is reported on its own line.
    public var keyLocations: [String: SourceLocation] = [:]
    public var location: SourceLocation

    public init(name: String, source: Source, labels: [String: String] = [:], location: SourceLocation) {
        self.name = name
        self.source = source
        self.labels = labels
        self.location = location
    }

    /// The location of the value at `keyPath` if it is written, else the secret's.
    public func location(of keyPath: String) -> SourceLocation {
        keyLocations[keyPath] ?? location
    }
}

/// The characters a generated secret is drawn from.
public enum SecretAlphabet: Sendable, Hashable {
    case alphanumeric
    case hex
    case base64url
    case asciiPrintable
    case custom(String)

    public static let defaultLength = 32

    /// The distinct characters, in a fixed order.
    public var characters: [Character] {
        switch self {
        case .alphanumeric: Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        case .hex: Array("0123456789abcdef")
        case .base64url: Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        case .asciiPrintable: (33...126).compactMap { UnicodeScalar($0).map(Character.init) }
        case .custom(let text):
            text.reduce(into: [Character]()) { result, character in
                if !result.contains(character) { result.append(character) }
            }
        }
    }

    /// The name used in the spec (`alphanumeric`, ...) or the literal alphabet.
    public var specName: String {
        switch self {
        case .alphanumeric: "alphanumeric"
        case .hex: "hex"
        case .base64url: "base64url"
        case .asciiPrintable: "ascii-printable"
        case .custom(let text): text
        }
    }
}
