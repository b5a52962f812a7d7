import Foundation
import Logging
import SprocketCore
import Vault

/// What the secret pipeline takes from the command that runs it: the process environment (Doppler's token, the
/// `environment:` sources, the Vault passphrase), the local key, where each stack environment's sealed store is,
/// and the counter of Vault calls. The pipeline never reads the process environment or the console itself.
public struct SecretPipelineSettings: Sendable {
    public var environment: [String: String]
    public var logger: Logger
    /// The local key that seals the store and keys every fingerprint (`SPROCKET_KEY_FILE`).
    public var keyFilePath: String
    /// The local state folder of a stack environment; it always holds the sealed store and the local lock.
    public var localState: @Sendable (StackIdentity) -> LocalStateStore
    /// Every Vault call of the command, whichever client sent it.
    public var vaultCalls: VaultCallCounter

    public init(
        environment: [String: String], logger: Logger, keyFilePath: String, localState: @escaping @Sendable (StackIdentity) -> LocalStateStore,
        vaultCalls: VaultCallCounter
    ) {
        self.environment = environment
        self.logger = logger
        self.keyFilePath = keyFilePath
        self.localState = localState
        self.vaultCalls = vaultCalls
    }

    /// The passphrase of the Vault key file (`SPROCKET_VAULT_PASSPHRASE`), which holds the root token.
    public var vaultPassphrase: String? { environment["SPROCKET_VAULT_PASSPHRASE"] }

    /// The Vault key file of a stack: its `vault.key_file`, else as the `vault` commands choose.
    public func vaultKeyFile(declared: String?) -> String {
        VaultKeyFileLocation.resolve(explicit: declared, environment: environment)
    }

    /// The sealed store of `identity`, opened with the local key (created on first use).
    public func sealedStore(of identity: StackIdentity) throws -> SealedSecretStore {
        let key = try SecretKey.loadOrCreate(at: keyFilePath)
        return try SealedSecretStore(path: localState(identity).sealedSecretsPath, key: key, identity: identity)
    }

    /// `tokens` as the sealed store of `identity` last recorded them: no Vault call and no passphrase; without a key
    /// file or a store yet, each is reported as never minted (nothing is created to find that out).
    public func recordedTokens(_ tokens: [VaultTokenSpec], of identity: StackIdentity) throws -> [VaultTokenKeeper.Report] {
        guard FileManager.default.fileExists(atPath: keyFilePath), FileManager.default.fileExists(atPath: localState(identity).sealedSecretsPath)
        else { return try VaultTokenKeeper.recorded(tokens, in: nil) }
        return try VaultTokenKeeper.recorded(tokens, in: try sealedStore(of: identity))
    }

    /// The local secrets of `identity`; with `creatingKey` false, nil when there is no key file yet (nothing can have
    /// been stored without one).
    public func localStore(of identity: StackIdentity, creatingKey: Bool) throws -> LocalSecretStore? {
        guard creatingKey || FileManager.default.fileExists(atPath: keyFilePath) else { return nil }
        return LocalSecretStore(sealed: try sealedStore(of: identity))
    }
}

/// Where the Vault key file is, for `vault` commands and `up` alike.
public enum VaultKeyFileLocation {
    /// `explicit` (`--key-file`, `vault.key_file`), else `SPROCKET_VAULT_KEY_FILE`, else
    /// `~/.config/sprocketctl/vault/keys`; `~` expanded.
    public static func resolve(explicit: String?, environment: [String: String]) -> String {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let chosen = explicit ?? environment["SPROCKET_VAULT_KEY_FILE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "\(home)/.config/sprocketctl/vault/keys"
        if chosen == "~" { return home }
        if chosen.hasPrefix("~/") { return home + chosen.dropFirst() }
        return chosen
    }
}
