/// The one place that names a Docker secret: `<stack>-<env>_<name>_k<12 hex>`, where the hex is an HMAC-SHA256 of
/// the value under the stack environment's ``SecretNamingKey``.
///
/// Docker secrets are immutable, so the name must change with the value (a new value is a new secret, its
/// consumers roll). A plain hash of the value would do that too, but anyone who reads a name (`docker secret ls`,
/// labels, state, plan output) could then test guesses of a low-entropy secret offline. The keyed fingerprint
/// tells nothing without the key.
///
/// Names derived before the key existed carry the legacy suffix, a plain SHA-256 (``legacySuffix(identity:name:value:)``).
/// Such a secret is kept while it still holds the current value, so upgrading recreates nothing and rolls no
/// consumer; it moves to a keyed name when its value changes, or when the bounded migration picks it
/// (``rekeying``, `up --rekey-secrets N`).
public struct DockerSecretNaming: Sendable, Hashable {
    /// How a secret's current name was derived.
    public enum Scheme: String, Sendable, Hashable, Codable {
        /// Keyed fingerprint of the value.
        case keyed
        /// Keyed, replacing a deployed legacy name that still holds the value (the bounded migration).
        case rekeyed
        /// The legacy plain hash of the value, kept because the secret is deployed under it.
        case legacy
        /// No naming key exists yet (a first `plan`): a placeholder; `up` creates the key and names it.
        case awaitingKey
    }

    /// A secret's Docker name and how it was derived.
    public struct Name: Sendable, Hashable {
        public var dockerName: String
        /// The part after the logical name; also the secret's spec-hash label.
        public var suffix: String
        public var scheme: Scheme
    }

    /// Marks a keyed suffix; a legacy suffix is 12 hex digits, so the two never look alike.
    static let keyedMarker = "k"
    static let fingerprintLength = 12
    /// The placeholder suffix of a secret named before the naming key exists. Never created: `up` creates the key first.
    public static let awaitingKeySuffix = "awaiting-key"

    public var identity: StackIdentity
    /// nil until the first `up` that needs a keyed name creates it.
    public var key: SecretNamingKey?
    /// Docker names of the stack environment's secrets on the engine now; a legacy name among them is kept.
    public var deployedNames: Set<String>
    /// Logical names whose deployed legacy name is given up for a keyed one in this run.
    public var rekeying: Set<String>

    public init(identity: StackIdentity, key: SecretNamingKey?, deployedNames: Set<String> = [], rekeying: Set<String> = []) {
        self.identity = identity
        self.key = key
        self.deployedNames = deployedNames
        self.rekeying = rekeying
    }

    /// The Docker name of the secret `logicalName` holding `value`.
    public func name(of logicalName: String, value: [UInt8]) -> Name {
        let keyed = key.map { key in
            let fingerprint = ContentHash.hex(key.authenticationCode(for: Self.message(identity, logicalName, value)))
            let suffix = Self.keyedMarker + String(fingerprint.prefix(Self.fingerprintLength))
            return Name(dockerName: identity.versionedObjectName(logicalName, suffix: suffix), suffix: suffix, scheme: .keyed)
        }
        if let keyed, deployedNames.contains(keyed.dockerName) { return keyed }
        let legacySuffix = Self.legacySuffix(identity: identity, name: logicalName, value: value)
        let legacyName = identity.versionedObjectName(logicalName, suffix: legacySuffix)
        let movesFromLegacy = deployedNames.contains(legacyName)
        if movesFromLegacy && !rekeying.contains(logicalName) {
            return Name(dockerName: legacyName, suffix: legacySuffix, scheme: .legacy)
        }
        guard var keyed else {
            return Name(
                dockerName: identity.versionedObjectName(logicalName, suffix: Self.awaitingKeySuffix), suffix: Self.awaitingKeySuffix,
                scheme: .awaitingKey)
        }
        if movesFromLegacy { keyed.scheme = .rekeyed }
        return keyed
    }

    /// The legacy suffix: the first 12 hex of a plain SHA-256 over the stack, the name and the value, as every
    /// secret was named before keyed names. Only recognised, never given to a new secret.
    public static func legacySuffix(identity: StackIdentity, name: String, value: [UInt8]) -> String {
        ContentHash.objectSuffix(stack: identity.prefix, name: name, content: value)
    }

    /// Whether `dockerName` is a version of the secret `logicalName` named the legacy way (a suffix of 12 hex
    /// digits). Tells it from the name alone, without the value or the key (`status`, `drift`).
    public static func isLegacyName(_ dockerName: String, logicalName: String, identity: StackIdentity) -> Bool {
        let prefix = identity.versionedObjectName(logicalName, suffix: "")
        guard dockerName.hasPrefix(prefix) else { return false }
        let suffix = dockerName.dropFirst(prefix.count)
        return suffix.count == fingerprintLength && suffix.allSatisfy { "0123456789abcdef".contains($0) }
    }

    /// The secrets on the engine still named the legacy way, leaving out old versions kept only for Swarm's own
    /// rollback of a service (the next `up` that no longer needs them removes them).
    public static func legacyNamedSecrets(in observed: ObservedState) -> [ObservedObject] {
        let mounted = Set(observed.services.flatMap(\.definition.referencedObjectNames))
        let keptForRollback = Set(observed.services.flatMap(\.previousReferences)).subtracting(mounted)
        return observed.secrets.filter { secret in
            isLegacyName(secret.dockerName, logicalName: secret.name, identity: observed.identity)
                && !keptForRollback.contains(secret.dockerName)
        }
    }

    /// A fixed prefix (so the same key could never give equal codes for another purpose), then the stack
    /// environment and the name, so equal values of unrelated secrets get unrelated names.
    private static func message(_ identity: StackIdentity, _ name: String, _ value: [UInt8]) -> [UInt8] {
        Array("sprocket-secret-name-v1\u{0}\(identity.prefix)\u{0}\(name)\u{0}".utf8) + value
    }
}
