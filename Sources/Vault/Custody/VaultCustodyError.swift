/// Why keeping or reading Vault's keys failed. Every case names the file and says what to do; none carries a
/// key, a token or a passphrase.
public enum VaultCustodyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The key file would sit in a git work tree where git would track it.
    case insideGitWorkTree(path: String, workTree: String)
    /// The passphrase does not open the file (or the file was altered).
    case wrongPassphrase(path: String)
    /// The file is not a sprocketctl key file of a version this build reads.
    case unreadable(path: String, reason: String)
    case missing(path: String)
    /// No passphrase was given and none can be asked for (no terminal).
    case noPassphrase
    /// The passphrase is too short to protect the keys.
    case weakPassphrase(minimumLength: Int)
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .insideGitWorkTree(let path, let workTree):
            "refusing to write Vault's keys to \(path): it is inside the git work tree \(workTree) and git does not ignore it "
                + "(the original system committed its unseal keys this way); choose a path outside the work tree "
                + "(e.g. ~/.config/sprocketctl/vault-keys/) or add the path to that repository's .gitignore first"
        case .wrongPassphrase(let path):
            "the passphrase does not open \(path) (or the file was altered); nothing was changed: try again with the "
                + "passphrase used at `vault init` (SPROCKET_VAULT_PASSPHRASE, or the prompt on a terminal)"
        case .unreadable(let path, let reason):
            "\(path) is not a sprocketctl Vault key file: \(reason)"
        case .missing(let path):
            "no Vault key file at \(path): pass --key-file (or set SPROCKET_VAULT_KEY_FILE) with the path where the file "
                + "written by `sprocketctl vault init` is kept"
        case .noPassphrase:
            "a passphrase is needed for Vault's key file: run on a terminal to be asked, or set SPROCKET_VAULT_PASSPHRASE"
        case .weakPassphrase(let minimumLength):
            "the passphrase for Vault's key file must have at least \(minimumLength) characters"
        case .io(let path, let reason):
            "cannot use \(path): \(reason)"
        }
    }
}
