import Foundation

/// The idempotent `vault init`: whatever state Vault is in, it ends initialised and unsealed with its keys kept,
/// or stops with an error that says how to recover. It never initialises a Vault twice.
///
/// - Not initialised: check the key file location (before anything is sent to Vault), ask for the passphrase(s),
///   initialise, save the keys (before anything else), then unseal with them.
/// - Initialised, key file present: open it (a wrong passphrase changes nothing) and unseal if sealed.
/// - Initialised, key file missing: ``VaultBootstrapError/keysMissing(address:keyFile:threshold:shares:)`` with
///   the recovery options. No init.
public struct VaultBootstrap: Sendable {
    /// How to initialise, when that is needed.
    public struct Options: Sendable, Equatable {
        /// Unseal key shares to create (`vault operator init` default: 5).
        public var shares: Int
        /// Shares needed to unseal (default 3).
        public var threshold: Int
        /// One sealed file per share (for separate custodians), the key file keeping only the root token.
        public var separateShares: Bool

        public init(shares: Int = 5, threshold: Int = 3, separateShares: Bool = false) {
            self.shares = shares
            self.threshold = threshold
            self.separateShares = separateShares
        }
    }

    /// What the run did.
    public enum Outcome: Sendable, Equatable {
        /// Vault was initialised now; `keyFiles` are the files written (the key file, then share files).
        case initialized(keyFiles: [String])
        /// Vault was initialised before; `unsealedNow` tells whether this run unsealed it.
        case alreadyInitialized(unsealedNow: Bool)
    }

    /// The result: what happened, Vault's seal status afterwards, and the keys (redacted when printed).
    public struct Report: Sendable {
        public var outcome: Outcome
        public var status: VaultSealStatus
        public var material: VaultKeyMaterial
    }

    let client: VaultClient
    let keyFile: VaultKeyFile
    let passphrase: VaultPassphraseProvider
    let now: @Sendable () -> Date

    /// - Parameters:
    ///   - client: The Vault to bring up (unauthenticated calls only; the root token is kept, not used).
    ///   - keyFile: Where the keys are, or go.
    ///   - passphrase: Asked only when a file is opened or written.
    ///   - now: The key material's creation time.
    public init(
        client: VaultClient, keyFile: VaultKeyFile, passphrase: @escaping VaultPassphraseProvider,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.client = client
        self.keyFile = keyFile
        self.passphrase = passphrase
        self.now = now
    }

    /// Runs the state machine once.
    ///
    /// - Throws: ``VaultCustodyError`` (location refused, wrong passphrase, no passphrase),
    ///   ``VaultBootstrapError`` (keys missing, key file in the way, unseal problems), ``VaultClientError``.
    public func run(_ options: Options = Options()) async throws -> Report {
        try keyFile.checkLocation()
        let sharePaths = options.separateShares ? Self.sharePaths(of: keyFile.path, count: options.shares) : []
        for path in sharePaths { try VaultKeyFile(path: path, location: keyFile.location).checkLocation() }
        let status = try await client.sealStatus()
        if status.initialized {
            return try await continueInitialized(status)
        }
        return try await initialize(options, sharePaths: sharePaths)
    }

    /// Case (b)/(c): never init; open the kept keys and unseal when sealed.
    private func continueInitialized(_ status: VaultSealStatus) async throws -> Report {
        let address = client.configuration.address
        guard keyFile.exists else {
            throw VaultBootstrapError.keysMissing(
                address: address, keyFile: keyFile.path, threshold: status.threshold, shares: status.shares)
        }
        let material = try keyFile.load(passphrase: try passphrase(.keyFile(path: keyFile.path, isNew: false)))
        guard status.sealed else {
            return Report(outcome: .alreadyInitialized(unsealedNow: false), status: status, material: material)
        }
        let after = try await VaultUnsealer(client: client).unseal(with: material, keyFile: keyFile.path)
        return Report(outcome: .alreadyInitialized(unsealedNow: true), status: after, material: material)
    }

    /// Case (a): everything that can be refused is refused before `sys/init`; the keys are saved right after it.
    private func initialize(_ options: Options, sharePaths: [String]) async throws -> Report {
        let address = client.configuration.address
        try Self.validate(shares: options.shares, threshold: options.threshold)
        for path in [keyFile.path] + sharePaths where FileManager.default.fileExists(atPath: path) {
            throw VaultBootstrapError.keyFileInTheWay(address: address, keyFile: path)
        }
        let mainPassphrase = try passphrase(.keyFile(path: keyFile.path, isNew: true))
        let sharePassphrases = try sharePaths.enumerated().map { index, path in
            try passphrase(.share(path: path, index: index + 1, count: sharePaths.count))
        }
        for candidate in [mainPassphrase] + sharePassphrases where candidate.count < PassphraseSealedFile.minimumPassphraseLength {
            throw VaultCustodyError.weakPassphrase(minimumLength: PassphraseSealedFile.minimumPassphraseLength)
        }
        try Self.probeWritable(keyFile.path)

        let result = try await client.initialize(shares: options.shares, threshold: options.threshold)
        let material = VaultKeyMaterial(
            unsealKeys: result.keysBase64.map(\.unredactedValue), rootToken: result.rootToken.unredactedValue,
            threshold: options.threshold, vaultAddress: address,
            createdAt: Date(timeIntervalSince1970: now().timeIntervalSince1970.rounded(.down)))  // as the file keeps it
        do {
            if options.separateShares {
                var rootOnly = material
                rootOnly.unsealKeys = []
                let shareFiles = try keyFile.saveSeparately(material, sharePassphrases: sharePassphrases)
                try keyFile.save(rootOnly, passphrase: mainPassphrase)
                let status = try await VaultUnsealer(client: client).unseal(with: material)
                return Report(outcome: .initialized(keyFiles: [keyFile.path] + shareFiles), status: status, material: material)
            }
            try keyFile.save(material, passphrase: mainPassphrase)
        } catch let error as VaultCustodyError {
            throw VaultBootstrapError.keysNotSaved(address: address, keyFile: keyFile.path, reason: error.description)
        }
        let status = try await VaultUnsealer(client: client).unseal(with: material, keyFile: keyFile.path)
        return Report(outcome: .initialized(keyFiles: [keyFile.path]), status: status, material: material)
    }

    /// The share files of separate custody: `<key file>.share-<i>-of-<n>` (as ``VaultKeyFile/saveSeparately``).
    public static func sharePaths(of keyFile: String, count: Int) -> [String] {
        count < 1 ? [] : (1...count).map { "\(keyFile).share-\($0)-of-\(count)" }
    }

    /// Vault's own seal-configuration rules, checked locally so a bad pair never reaches `sys/init`.
    static func validate(shares: Int, threshold: Int) throws(VaultBootstrapError) {
        let reason: String? =
            if shares < 1 { "shares must be at least one" }
            else if threshold < 1 { "threshold must be at least one" }
            else if shares > 1 && threshold == 1 { "threshold must be greater than one for multiple shares" }
            else if shares > 255 { "shares must be less than 256" }
            else if threshold > shares { "threshold cannot be larger than shares" }
            else { nil }
        if let reason { throw .invalidShareConfiguration(shares: shares, threshold: threshold, reason: reason) }
    }

    /// Makes the key file's folder (0700) and checks a file can be written there, before keys exist that could
    /// not be kept.
    static func probeWritable(_ path: String) throws(VaultCustodyError) {
        let folder = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        let probe = "\(folder)/.sprocketctl-write-check-\(UUID().uuidString.prefix(8))"
        do {
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            guard FileManager.default.createFile(atPath: probe, contents: Data(), attributes: [.posixPermissions: 0o600]) else {
                throw VaultCustodyError.io(path: path, reason: "\(folder) is not writable")
            }
            try FileManager.default.removeItem(atPath: probe)
        } catch let error as VaultCustodyError {
            throw error
        } catch {
            throw .io(path: path, reason: "cannot write in \(folder): \(error.localizedDescription)")
        }
    }
}
