/// `vault:` in stack.yaml: the Vault the stack runs or uses, and the layer after which it must be unsealed.
///
/// `up` unseals it (from the passphrase-sealed key file that `vault init` wrote) as part of that layer's gate, so
/// a later layer never starts against a sealed Vault; one that cannot be unsealed is a named gate failure.
public struct VaultSpec: Sendable, Hashable {
    /// `https://vault.example.org:8200`, or whatever reaches it from where `up` runs.
    public var address: String
    /// The key file (default: the `vault` commands' default, `~/.config/sprocketctl/vault/keys`).
    public var keyFile: String?
    /// The layer that runs Vault (or, for an external Vault, the first layer that needs it unsealed).
    public var layer: String
    /// KV version 2 secrets engines to enable (`infrastructure`, `platform`).
    public var mounts: [String]
    /// ACL policies to keep written, in declaration order.
    public var policies: [VaultPolicySpec]
    /// Scoped tokens, one per consumer group, delivered to their services as Docker secrets.
    public var tokens: [VaultTokenSpec]
    /// The Vault service to generate into ``layer`` (nil: the stack declares or reaches Vault itself).
    public var server: VaultServerSpec?
    /// The unattended unsealer service (opt-in; nil: an operator or `up` unseals).
    public var unsealer: VaultCompanionSpec?
    /// The service that renews `tokens` in the background (nil: only `up` renews them).
    public var renewer: VaultCompanionSpec?
    public var location: SourceLocation

    public init(
        address: String, keyFile: String? = nil, layer: String, mounts: [String] = [], policies: [VaultPolicySpec] = [],
        tokens: [VaultTokenSpec] = [], location: SourceLocation
    ) {
        self.address = address
        self.keyFile = keyFile
        self.layer = layer
        self.mounts = mounts
        self.policies = policies
        self.tokens = tokens
        self.location = location
    }
}

/// One policy of `vault.policies`: rules on logical KV v2 paths (`platform/prod/*`), which the Vault module
/// expands into the `data/` and `metadata/` paths KV v2 really checks.
public struct VaultPolicySpec: Sendable, Hashable {
    public struct Rule: Sendable, Hashable {
        /// `<mount>/<pattern>`, e.g. `platform/${env}/*`.
        public var path: String
        /// `read`, `list`, `write`, `delete`, `destroy` or `deny`.
        public var access: [String]
        public var location: SourceLocation

        public init(path: String, access: [String], location: SourceLocation) {
            self.path = path
            self.access = access
            self.location = location
        }
    }

    public static let accessValues = ["read", "list", "write", "delete", "destroy", "deny"]

    public var name: String
    public var rules: [Rule]
    public var location: SourceLocation

    public init(name: String, rules: [Rule], location: SourceLocation) {
        self.name = name
        self.rules = rules
        self.location = location
    }
}
