/// `vault.unsealer` and `vault.renewer`: sprocketctl itself, run as a long-lived Swarm service next to the stack's
/// Vault, so that what must happen between two runs of `up` happens without an operator.
///
/// - The **unsealer** (opt-in) runs `vault watch`: it unseals Vault whenever it comes back sealed (a restart, a
///   crash, a new node) with unseal key shares it reads from two Docker secrets, and does nothing else: it holds no
///   root token, changes no configuration and takes no lease.
/// - The **renewer** (on by default when the stack runs its Vault and has `vault.tokens`) runs `vault renew-tokens`:
///   it mounts every consumer token's Docker secret and renews each token with that token itself
///   (`auth/token/renew-self`, which Vault's default policy allows), so it holds no credential beyond the tokens
///   the consumers already have.
///
/// docs/openbao.md ("Unattended unsealing and token renewal") weighs the custody of each.
public struct VaultCompanionSpec: Sendable, Hashable {
    public enum Role: String, Sendable, Hashable {
        case unsealer
        case renewer

        /// The generated service's name.
        public var serviceName: String {
            switch self {
            case .unsealer: "vault-unsealer"
            case .renewer: "vault-token-renewer"
            }
        }

        /// How often it looks at Vault by default: the unsealer often (a sealed Vault fails every consumer), the
        /// renewer rarely (tokens live for hours or more).
        public var defaultInterval: Duration {
            switch self {
            case .unsealer: .seconds(2)
            case .renewer: .seconds(60)
            }
        }
    }

    public var role: Role
    /// Time between two looks at Vault.
    public var interval: Duration
    /// An image with sprocketctl at `/usr/local/bin/sprocketctl`; by default ``RunnerImage/placeholder``, which
    /// `up` replaces with the running sprocketctl packaged into a local image.
    public var image: String
    /// Vault's address as the swarm's tasks reach it; nil: `http://<vault.server.name>:8200`.
    public var address: String?
    /// The network it joins to reach Vault; nil: `vault.server.network`.
    public var network: String?
    /// The layer it is generated into; nil: the first layer after `vault.layer` (unsealer) or the layer that
    /// declares the last token's secret (renewer). Never `vault.layer` itself: what it mounts exists only once
    /// Vault is initialised.
    public var layer: String?
    public var location: SourceLocation

    public init(
        role: Role, interval: Duration? = nil, image: String = RunnerImage.placeholder, address: String? = nil, network: String? = nil,
        layer: String? = nil, location: SourceLocation
    ) {
        self.role = role
        self.interval = interval ?? role.defaultInterval
        self.image = image
        self.address = address
        self.network = network
        self.layer = layer
        self.location = location
    }
}

/// The image name that stands for "the running sprocketctl, packaged into a local image" (`sprocketctl-runner`,
/// no tag). Spec loading replaces it with the content-named reference of the running binary, and `up` imports that
/// image into the daemon it talks to before deploying.
public enum RunnerImage {
    public static let placeholder = "sprocketctl-runner"
    /// Where the executable sits in any image that runs sprocketctl.
    public static let executablePath = "/usr/local/bin/sprocketctl"

    /// Whether a service of `stack` runs the placeholder.
    public static func isUsed(in stack: StackSpec) -> Bool {
        stack.layers.contains { $0.services.contains { $0.image == placeholder } }
    }

    /// How pictures and inventories name `image`: the running sprocketctl's image by its role rather than by the
    /// hash of one build, so a drawing does not change with every build of the tool.
    public static func displayName(_ image: String) -> String {
        image == placeholder || image.hasPrefix(placeholder + ":") ? "\(placeholder) (this sprocketctl)" : image
    }

    /// `stack` with every placeholder replaced by `reference` (the running sprocketctl's image).
    public static func resolve(_ stack: StackSpec, to reference: String) -> StackSpec {
        var stack = stack
        for layer in stack.layers.indices {
            for index in stack.layers[layer].services.indices where stack.layers[layer].services[index].image == placeholder {
                stack.layers[layer].services[index].image = reference
            }
        }
        return stack
    }
}

/// The two Docker secrets the unsealer mounts: a key file holding only the unseal key shares Vault needs (no root
/// token), sealed under a passphrase generated for it, and that passphrase. `up` derives both from the operator's
/// key file and keeps them in the stack's sealed store.
public enum VaultUnsealerSecret: String, Sendable, Hashable, CaseIterable {
    case keyFile = "keys"
    case passphrase

    /// The Docker secret's name, and its file under `/run/secrets/`.
    public var secretName: String { "vault-unsealer-\(rawValue)" }

    /// The sealed-store entry holding it.
    public var storeKey: String { SealedStoreKey.vaultUnsealer(self).rawValue }
}
