/// Why bringing Vault up (init, unseal) stopped. Every case names the Vault (its address) and the key file where
/// one is involved, and says what to do; none carries a key, a token or a passphrase.
public enum VaultBootstrapError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Vault is initialised but the key file that should hold its keys is not there. Never answered by a second
    /// init: that is refused by Vault and, on recreated storage, would destroy every secret.
    case keysMissing(address: String, keyFile: String, threshold: Int, shares: Int)
    /// Vault is not initialised, but a key file exists where the new keys would go: it may hold the only keys of
    /// another Vault, so it is not overwritten.
    case keyFileInTheWay(address: String, keyFile: String)
    /// The shares/threshold pair is one Vault refuses; checked before anything is sent.
    case invalidShareConfiguration(shares: Int, threshold: Int, reason: String)
    /// The key file holds fewer shares than the threshold (separate custody keeps one share per custodian).
    case notEnoughKeys(address: String, keyFile: String, have: Int, need: Int)
    /// Vault rejected the combined shares: they belong to another Vault (or another init of this one).
    case invalidKeys(address: String, keyFile: String?)
    /// Every key was submitted and Vault is still sealed.
    case stillSealed(address: String, progress: Int, threshold: Int)
    /// Vault uses an auto-unseal seal (awskms, transit, …): it unseals itself, key shares cannot.
    case autoUnsealSeal(address: String, type: String)
    /// Vault was initialised but its keys could not be written: they exist nowhere now.
    case keysNotSaved(address: String, keyFile: String, reason: String)

    public var description: String {
        switch self {
        case .keysMissing(let address, let keyFile, let threshold, let shares):
            "Vault at \(address) is already initialised, but its key file \(keyFile) is missing. sprocketctl will not "
                + "initialise it again. To recover: (1) restore \(keyFile) from your backup (same passphrase), or pass "
                + "--key-file with the path where it is kept; (2) or gather \(threshold) of the \(shares) unseal key "
                + "shares from their custodians and run `sprocketctl vault unseal --prompt` (or --share-file for share "
                + "files); (3) only as a last resort, when no \(threshold) shares exist anywhere: stop Vault, delete its "
                + "storage (this destroys every secret stored in it) and run `sprocketctl vault init` again"
        case .keyFileInTheWay(let address, let keyFile):
            "Vault at \(address) is not initialised, but \(keyFile) already exists and may hold the only keys of another "
                + "Vault; nothing was sent to Vault. Move that file somewhere safe (keep it) or pass another --key-file, "
                + "then run `sprocketctl vault init` again"
        case .invalidShareConfiguration(let shares, let threshold, let reason):
            "\(shares) shares with a threshold of \(threshold) cannot be used: \(reason); nothing was sent to Vault "
                + "(the default is 5 shares, threshold 3)"
        case .notEnoughKeys(let address, let keyFile, let have, let need):
            "\(keyFile) holds \(have) unseal key share\(have == 1 ? "" : "s"), but Vault at \(address) needs \(need) "
                + "(shares kept by separate custodians?); run `sprocketctl vault unseal --share-file PATH …` with "
                + "\(need) share files, or `--prompt` to type the shares in"
        case .invalidKeys(let address, let keyFile):
            "Vault at \(address) rejected the combined unseal keys (invalid key)"
                + (keyFile.map { ": the keys in \($0) belong to another Vault or to an earlier init of this one" } ?? "")
                + "; no further key was submitted, Vault is still sealed and forgot the shares of this attempt. "
                + "Check --addr (is this the Vault these keys were made for?) and --key-file"
        case .stillSealed(let address, let progress, let threshold):
            "Vault at \(address) is still sealed after every key was submitted (progress \(progress) of \(threshold)); "
                + "another unseal may be running at the same time: run `sprocketctl vault status` and try again"
        case .autoUnsealSeal(let address, let type):
            "Vault at \(address) uses the \(type) seal (auto-unseal): it unseals itself through \(type); key shares "
                + "cannot unseal it. Check that Vault can reach its \(type) key"
        case .keysNotSaved(let address, let keyFile, let reason):
            "Vault at \(address) was initialised but its keys could not be written to \(keyFile): \(reason). The keys "
                + "exist nowhere else and were not printed. Vault cannot be unsealed after its next restart: stop it, "
                + "delete its (still empty) storage, fix the key file location and run `sprocketctl vault init` again"
        }
    }
}
