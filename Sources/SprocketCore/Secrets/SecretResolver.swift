import Foundation

/// A secret's value for one run, or why it is not available.
public struct SecretMaterial: Sendable {
    public var name: String
    public var content: SensitiveBytes?
    /// Set when `content` is nil: e.g. "from environment variable API_KEY (not set)".
    public var unavailableReason: String?

    public init(name: String, content: SensitiveBytes?, unavailableReason: String? = nil) {
        self.name = name
        self.content = content
        self.unavailableReason = unavailableReason
    }
}

/// Reads the value of every secret a stack declares: from files, environment variables, or the sealed store.
///
/// Offline (`plan --offline`) it never generates or fails: unavailable values are reported as such.
public struct SecretResolver: Sendable {
    public var processEnvironment: [String: String]
    public var store: SealedSecretStore?
    public var isOffline: Bool
    /// Whether a `generate:` secret without a stored value gets one now. Only `up`, under the state lock,
    /// generates: a `plan` shows such a secret as to be created, and writes nothing.
    public var generatesMissing: Bool
    /// Every value resolved is registered here, so that output and logs redact it (``SecretRedactor/shared`` by
    /// default: the registry the CLI's console prints through).
    public var redactor: SecretRedactor

    public init(
        processEnvironment: [String: String], store: SealedSecretStore?, isOffline: Bool = false, generatesMissing: Bool? = nil,
        redactor: SecretRedactor = .shared
    ) {
        self.processEnvironment = processEnvironment
        self.store = store
        self.isOffline = isOffline
        self.generatesMissing = generatesMissing ?? !isOffline
        self.redactor = redactor
    }

    public func resolve(_ stack: StackSpec) throws -> [String: SecretMaterial] {
        var materials: [String: SecretMaterial] = [:]
        var problems: [SprocketError] = []
        for layer in stack.layers {
            for secret in layer.secrets {
                do {
                    let material = try resolve(secret)
                    if let content = material.content { redactor.register(content.bytes, name: secret.name) }
                    materials[secret.name] = material
                } catch let error as SprocketError {
                    problems.append(error)
                }
            }
        }
        if let first = problems.first {
            guard problems.count > 1 else { throw first }
            throw SprocketError(
                first.code, problems.map(\.description).joined(separator: "\n"),
                hint: "every secret must have a value before `up`; `plan --offline` shows the plan without them")
        }
        return materials
    }

    private func resolve(_ secret: SecretSpec) throws -> SecretMaterial {
        switch secret.source {
        case .external:
            return SecretMaterial(name: secret.name, content: nil, unavailableReason: "external")
        case .doppler:
            // The loader never gives a layer secret this source: a Doppler secret reaches a layer as `.manifest`.
            return SecretMaterial(name: secret.name, content: nil, unavailableReason: "a Doppler secret is read by `secrets sync`, not here")
        case .environment(let variable):
            if let value = processEnvironment[variable] {
                return SecretMaterial(name: secret.name, content: SensitiveBytes(Array(value.utf8)))
            }
            return try unavailable(
                secret, "environment variable \(variable) is not set",
                hint: "export \(variable) before running, or change the secret's source")
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                return try unavailable(secret, "file \(path) cannot be read", hint: "create the file or fix the path")
            }
            return SecretMaterial(name: secret.name, content: SensitiveBytes(Array(data)))
        case .vaultToken(let token):
            return try vaultToken(secret, token: token)
        case .vaultUnsealer(let part):
            return try stored(
                secret, storeKey: part.storeKey, reason: "the unsealer's \(part == .keyFile ? "key file" : "passphrase") is derived by `up` once Vault is initialised",
                missing: "and none was derived",
                hint: "`up` derives it from the key file after Vault's layer: check `sprocketctl vault status` and SPROCKET_VAULT_PASSPHRASE")
        case .local(let name):
            return try local(secret, name: name)
        case .manifest(let name):
            return try manifestSecret(secret, entry: name)
        case .generate(let length, let alphabet):
            guard let store else {
                guard generatesMissing else {
                    // No key yet, so no value was ever generated: `up` generates it.
                    return SecretMaterial(name: secret.name, content: nil, unavailableReason: "generated at the first `up`")
                }
                throw SprocketError(
                    .secretUnavailable, "secret '\(secret.name)': no sealed secret store is open",
                    subject: secret.location.description, hint: "this is a bug in the caller: `up` opens the store before resolving")
            }
            if isOffline || !generatesMissing {
                if let value = try store.value(named: SealedStoreKey.generated(secret.name).rawValue) {
                    return SecretMaterial(name: secret.name, content: SensitiveBytes(value))
                }
                return SecretMaterial(name: secret.name, content: nil, unavailableReason: "generated at the first `up`")
            }
            let value = try store.valueOrGenerate(named: SealedStoreKey.generated(secret.name).rawValue) {
                RandomSecret.generate(length: length, alphabet: alphabet)
            }
            return SecretMaterial(name: secret.name, content: SensitiveBytes(value))
        }
    }

    /// A Vault token: minted by `up` (after Vault's layer) into the sealed store; never generated here.
    private func vaultToken(_ secret: SecretSpec, token: String) throws -> SecretMaterial {
        try stored(
            secret, storeKey: SealedStoreKey.vaultToken(token).rawValue, reason: "Vault token `\(token)` is minted by `up` once Vault is unsealed",
            missing: "and none was minted",
            hint: "Vault must be reachable, initialised and unsealed before the layers that consume the token: check `sprocketctl vault status`")
    }

    /// A manifest secret: read from its source (and Vault) into the sealed store by `secrets sync`, which `up` runs first.
    private func manifestSecret(_ secret: SecretSpec, entry: String) throws -> SecretMaterial {
        try stored(
            secret, storeKey: SealedStoreKey.manifest(entry).rawValue, reason: "manifest secret `\(entry)` is read from its source by `secrets sync`",
            missing: "and it has not been synced", hint: "run `sprocketctl secrets sync` (or `up`, which syncs first) with the source reachable")
    }

    /// A value another step keeps in the sealed store: unavailable offline and in plans, an error for `up`.
    private func stored(_ secret: SecretSpec, storeKey: String, reason: String, missing: String, hint: String) throws -> SecretMaterial {
        if let store, let value = try store.value(named: storeKey) {
            return SecretMaterial(name: secret.name, content: SensitiveBytes(value))
        }
        guard generatesMissing && !isOffline else { return SecretMaterial(name: secret.name, content: nil, unavailableReason: reason) }
        throw SprocketError(.secretUnavailable, "secret '\(secret.name)': \(reason), \(missing)", subject: secret.location.description, hint: hint)
    }

    /// A value set with `secrets set`: never generated; missing is an error naming the command that sets it.
    private func local(_ secret: SecretSpec, name: String) throws -> SecretMaterial {
        if let store, let value = try LocalSecretStore(sealed: store).value(named: name) {
            return SecretMaterial(name: secret.name, content: SensitiveBytes(value))
        }
        return try unavailable(
            secret, "local secret `\(name)` is not set in this stack environment's store",
            hint: "set it with `sprocketctl secrets set \(name)` (the value on stdin), or `secrets import-env FILE`")
    }

    private func unavailable(_ secret: SecretSpec, _ reason: String, hint: String) throws -> SecretMaterial {
        if isOffline {
            return SecretMaterial(name: secret.name, content: nil, unavailableReason: reason)
        }
        throw SprocketError(
            .secretUnavailable, "secret '\(secret.name)': \(reason)", subject: secret.location.description, hint: hint)
    }
}

/// Random secret values from the system's CSPRNG, without modulo bias.
public enum RandomSecret {
    public static func generate(length: Int, alphabet: SecretAlphabet) -> [UInt8] {
        let characters = alphabet.characters
        guard characters.count > 1 else { return [] }
        var generator = SystemRandomNumberGenerator()
        var text = ""
        for _ in 0..<length {
            // `random(in:using:)` rejects biased draws internally.
            text.append(characters[Int.random(in: 0..<characters.count, using: &generator)])
        }
        return Array(text.utf8)
    }
}
