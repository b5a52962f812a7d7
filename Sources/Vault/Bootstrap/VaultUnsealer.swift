/// Unseals a Shamir-sealed Vault: from kept key material in one go, or share by share as custodians type them in.
///
/// Vault collects shares per attempt and forgets them when the combination fails, so a stale half-finished
/// attempt (someone else's shares) is reset before kept keys are submitted.
public struct VaultUnsealer: Sendable {
    /// Where one share left the attempt.
    public enum Step: Sendable, Equatable {
        /// The share was accepted; `progress` of `threshold` are in.
        case progress(Int, of: Int)
        /// The threshold was reached: Vault is unsealed.
        case unsealed
    }

    let client: VaultClient

    public init(client: VaultClient) {
        self.client = client
    }

    /// Unseals with the kept shares, submitting only as many as needed. Does nothing when Vault is unsealed.
    ///
    /// - Parameter keyFile: Named in errors (the shares' origin), if they came from a file.
    /// - Returns: The seal status afterwards (`sealed == false`).
    /// - Throws: ``VaultBootstrapError`` (too few keys, invalid keys, auto-unseal seal, still sealed) or
    ///   ``VaultClientError``.
    @discardableResult
    public func unseal(with material: VaultKeyMaterial, keyFile: String? = nil) async throws -> VaultSealStatus {
        let address = client.configuration.address
        var status = try await client.sealStatus()
        guard status.sealed else { return status }
        if status.type != "shamir" || status.recoverySeal {
            throw VaultBootstrapError.autoUnsealSeal(address: address, type: status.type)
        }
        guard status.initialized else {
            throw VaultClientError.notInitialized(method: "GET", path: "sys/seal-status")
        }
        let need = max(status.threshold, 1)
        guard material.unsealKeys.count >= need else {
            throw VaultBootstrapError.notEnoughKeys(
                address: address, keyFile: keyFile ?? "the key material", have: material.unsealKeys.count, need: need)
        }
        // One retry, only when the failed combination was not ours alone: a share someone else submitted at the
        // same moment can spoil it. When our own `need` shares were rejected the keys are wrong (another Vault's,
        // or an earlier init's): nothing more is submitted, Vault stays sealed with its progress reset.
        for attempt in 1...2 {
            if status.progress > 0 { status = try await reset() ?? status }
            var submitted = 0
            do {
                for key in material.unsealKeys {
                    submitted += 1
                    status = try await client.unseal(key: VaultSecretString(key))
                    if !status.sealed { return status }
                }
                throw VaultBootstrapError.stillSealed(address: address, progress: status.progress, threshold: status.threshold)
            } catch let error as VaultClientError where Self.isInvalidKey(error) {
                if attempt == 2 || submitted >= need {
                    throw VaultBootstrapError.invalidKeys(address: address, keyFile: keyFile)
                }
                status = try await client.sealStatus()
                if !status.sealed { return status }
            }
        }
        throw VaultBootstrapError.stillSealed(address: address, progress: status.progress, threshold: status.threshold)
    }

    /// Submits one share (hex or base64) typed in by a custodian.
    ///
    /// - Throws: ``VaultBootstrapError/invalidKeys(address:keyFile:)`` when this share completed a wrong
    ///   combination (Vault then forgets the attempt: start again), or ``VaultClientError`` (e.g. a share that is
    ///   neither hex nor base64 is a `badRequest`).
    public func submit(share: VaultSecretString) async throws -> Step {
        do {
            let status = try await client.unseal(key: share)
            return status.sealed ? .progress(status.progress, of: status.threshold) : .unsealed
        } catch let error as VaultClientError where Self.isInvalidKey(error) {
            throw VaultBootstrapError.invalidKeys(address: client.configuration.address, keyFile: nil)
        }
    }

    /// Forgets the shares submitted so far. Returns nil when Vault is not sealed (nothing to reset).
    @discardableResult
    public func reset() async throws -> VaultSealStatus? {
        do {
            return try await client.resetUnseal()
        } catch let error as VaultClientError {
            if case .badRequest(_, _, let messages) = error,
                messages.contains(where: { $0.localizedCaseInsensitiveContains("vault is unsealed") })
            {
                return nil
            }
            throw error
        }
    }

    /// The 400 after a wrong combination: HashiCorp Vault says `Unseal failed, invalid key`, OpenBao
    /// `unable to retrieve stored keys: invalid key: failed to decrypt keys from storage: …`.
    static func isInvalidKey(_ error: VaultClientError) -> Bool {
        guard case .badRequest(_, _, let messages) = error else { return false }
        return messages.contains { $0.localizedCaseInsensitiveContains("invalid key") }
    }
}
