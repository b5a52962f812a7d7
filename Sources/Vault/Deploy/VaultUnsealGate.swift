import Foundation
import Logging
import SprocketCore

/// The part of `up`'s gate that unseals the stack's Vault once the layer that runs it has converged, so that no
/// later layer starts against a sealed Vault. Its result is an ordinary gate check: a Vault that cannot be unsealed
/// stops the run (and rolls it back) with the reason, instead of surfacing as 503s in some service's log.
public struct VaultUnsealGate: LayerGate {
    public var vault: VaultSpec
    public var keyFile: String
    /// The key file's passphrase (`SPROCKET_VAULT_PASSPHRASE`), nil when none was given.
    public var passphrase: String?
    public var logger: Logger
    /// Counts the calls of every client the gate opens (unseal, mounts and policies, tokens), for the run's summary.
    public var calls: VaultCallCounter

    public init(vault: VaultSpec, keyFile: String, passphrase: String?, logger: Logger, calls: VaultCallCounter = VaultCallCounter()) {
        self.vault = vault
        self.keyFile = keyFile
        self.passphrase = passphrase
        self.logger = logger
        self.calls = calls
    }

    static let checkName = "vault: unsealed"

    public func evaluate(layer: DesiredLayer, events: ApplyEventHandler) async throws -> [GateCheckResult] {
        guard layer.name == vault.layer else { return [] }
        return try await ensure(events: events)
    }

    /// Unseals Vault and applies mounts and policies now, whatever layer ran: what `up` does when it had no
    /// change to apply (a Vault sealed since the last run is still unsealed).
    public func ensure(events: ApplyEventHandler) async throws -> [GateCheckResult] {
        let layerName = vault.layer
        let expected = "Vault at \(vault.address) initialised and unsealed"
        func result(_ passed: Bool, _ seen: String) -> [GateCheckResult] {
            let outcome = GateCheckResult(layer: layerName, check: Self.checkName, passed: passed, expected: expected, seen: seen)
            events(.checkResult(outcome))
            return [outcome]
        }
        let client: VaultClient
        do {
            client = try VaultClient(configuration: try VaultClientConfiguration(address: vault.address), logger: logger, calls: calls)
        } catch {
            return result(false, "\(error)")
        }
        var results: [GateCheckResult] = []
        do {
            let seen = try await unseal(client)
            results += result(true, seen)
            if seen != "unsealed" {
                // Just unsealed (or initialised): for about a second OpenBao is not active yet and refuses writes with
                // 500 "local node not active but active cluster node not found". A standby of an HA cluster never
                // becomes active: after the wait, the writes below say what Vault answers.
                try? await client.waitUntilActive(timeout: .seconds(20))
            }
            if !vault.mounts.isEmpty || !vault.policies.isEmpty {
                let configured = try await VaultConfigurator(client: client, vault: vault, keyFile: keyFile, passphrase: passphrase).apply()
                results += configured.map { check in
                    let outcome = GateCheckResult(layer: layerName, check: check.name, passed: true, expected: check.expected, seen: check.seen)
                    events(.checkResult(outcome))
                    return outcome
                }
            }
        } catch let error as CancellationError {
            try? await client.shutdown()
            throw error
        } catch let lost as SprocketError where lost.code == .leaseLost {
            // The run lost its lock before a write: not a failed check (which would start a rollback), the run's end.
            try? await client.shutdown()
            throw lost
        } catch {
            let check = results.isEmpty ? Self.checkName : "vault: mounts and policies"
            let outcome = GateCheckResult(
                layer: layerName, check: check, passed: false,
                expected: results.isEmpty ? expected : "the spec's mounts and policies in Vault at \(vault.address)", seen: "\(error)")
            events(.checkResult(outcome))
            results.append(outcome)
        }
        try? await client.shutdown()
        return results
    }

    /// Initialises a fresh Vault (keys sealed into the key file before anything else), or unseals a sealed one
    /// from the key file; returns what was seen. Never initialises twice: an initialised Vault without its key
    /// file is ``VaultBootstrapError/keysMissing(address:keyFile:threshold:shares:)`` with the recovery options.
    private func unseal(_ client: VaultClient) async throws -> String {
        let status = try await client.sealStatus()
        if status.initialized && !status.sealed { return "unsealed" }
        guard let passphrase, !passphrase.isEmpty else {
            return try failure(
                (status.initialized ? "sealed" : "not initialised")
                    + ", and no passphrase for \(keyFile): set SPROCKET_VAULT_PASSPHRASE, or run `sprocketctl vault "
                    + (status.initialized ? "unseal`" : "init`"))
        }
        let bootstrap = VaultBootstrap(client: client, keyFile: VaultKeyFile(path: keyFile), passphrase: { _ in passphrase })
        let report = try await bootstrap.run()
        switch report.outcome {
        case .initialized(let keyFiles):
            return "was not initialised: initialised (\(report.material.unsealKeys.count) shares, threshold \(report.material.threshold)), "
                + "keys sealed in \(keyFiles.joined(separator: ", ")), unsealed"
        case .alreadyInitialized:
            return "was sealed; unsealed with the keys in \(keyFile)"
        }
    }

    /// Mints, renews or replaces the stack's scoped tokens (`vault.tokens`) with the root token from the key file,
    /// keeping them in `store` once `lease` (the run's) still holds. Vault must be initialised and unsealed (``ensure(events:)`` first).
    public func keepTokens(store: SealedSecretStore, identity: StackIdentity, lease: any StateLease) async throws -> [VaultTokenKeeper.Report] {
        guard !vault.tokens.isEmpty else { return [] }
        let material = try operatorKeys(for: "minting tokens needs the root token")
        let client = try VaultClient(configuration: try VaultClientConfiguration(address: vault.address), logger: logger, calls: calls)
        client.setToken(VaultSecretString(material.rootToken))
        do {
            let reports = try await VaultTokenKeeper(client: client, tokens: vault.tokens, store: store, identity: identity, lease: lease).reconcile()
            client.setToken(nil)
            try? await client.shutdown()
            return reports
        } catch {
            client.setToken(nil)
            try? await client.shutdown()
            throw error
        }
    }

    /// Revokes the tokens `keepTokens` replaced, once the stack runs with the new ones, and the stray tokens of
    /// this stack environment that no store holds (minted by a run killed or taken over before it kept them).
    /// Looking for strays costs reads only; a settled stack sends no write. Returns how many were revoked.
    public func revokeRetiredTokens(store: SealedSecretStore, identity: StackIdentity, lease: any StateLease) async throws -> Int {
        let client = try VaultClient(configuration: try VaultClientConfiguration(address: vault.address), logger: logger, calls: calls)
        let keeper = VaultTokenKeeper(client: client, tokens: vault.tokens, store: store, identity: identity, lease: lease)
        do {
            client.setToken(VaultSecretString(try operatorKeys(for: "revoking replaced tokens needs the root token").rootToken))
            let revoked = try await keeper.revokeRetired().count + keeper.revokeStrays().count
            client.setToken(nil)
            try? await client.shutdown()
            return revoked
        } catch {
            client.setToken(nil)
            try? await client.shutdown()
            throw error
        }
    }

    /// Derives what `vault.unsealer` mounts (the unseal shares it needs, under a passphrase of its own) from the key
    /// file into `store`; nil when the stack has no unsealer. Talks to no server.
    public func keepUnsealerKeys(store: SealedSecretStore, cost: PassphraseSealedFile.Cost = .standard) throws -> VaultUnsealerKeys.Outcome? {
        guard vault.unsealer != nil else { return nil }
        let material = try operatorKeys(for: "the unattended unsealer's keys are derived from the unseal keys")
        return try VaultUnsealerKeys(store: store, cost: cost).keep(from: material, keyFile: keyFile)
    }

    /// The operator's key material, opened with the passphrase `up` was given.
    private func operatorKeys(for purpose: String) throws -> VaultKeyMaterial {
        guard let passphrase, !passphrase.isEmpty else {
            throw VaultUnsealGateFailure(description: "\(purpose) in \(keyFile): set SPROCKET_VAULT_PASSPHRASE")
        }
        return try VaultKeyFile(path: keyFile).load(passphrase: passphrase)
    }

    private func failure(_ text: String) throws -> String {
        throw VaultUnsealGateFailure(description: text)
    }
}

/// A reason the gate fails that is not an error of the client or the key file.
struct VaultUnsealGateFailure: Error, CustomStringConvertible {
    var description: String
}
