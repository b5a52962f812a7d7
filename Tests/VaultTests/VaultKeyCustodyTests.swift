import Foundation
import SprocketTestSupport
import Testing
@testable import Vault

@Suite("Vault key custody: sealed key file, separate shares, git work tree guard")
struct VaultKeyCustodyTests {
    static let material = VaultKeyMaterial(
        unsealKeys: ["a2V5LW9uZQ==", "a2V5LXR3bw==", "a2V5LXRocmVl"], rootToken: "hvs.CANARYrootTOKEN0123456789",
        threshold: 2, vaultAddress: "http://127.0.0.1:8200", createdAt: Date(timeIntervalSince1970: 1_800_000_000))
    static let passphrase = "correct horse battery staple"

    /// A guard that sees no git work tree (temporary folders are outside any).
    static let noGit = GitWorkTreeGuard { _, _ in nil }

    @Test("keys round-trip through a 0600 file that contains no key, token or passphrase in clear")
    func roundTrip() throws {
        let folder = try TemporaryDirectory(prefix: "vault-keys")
        defer { folder.remove() }
        let file = VaultKeyFile(path: "\(folder.path)/sub/keys", location: Self.noGit, cost: .testing)
        try file.save(Self.material, passphrase: Self.passphrase)
        #expect(try file.load(passphrase: Self.passphrase) == Self.material)
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let folderAttributes = try FileManager.default.attributesOfItem(atPath: "\(folder.path)/sub")
        #expect((folderAttributes[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        let text = try String(contentsOfFile: file.path, encoding: .utf8)
        for secret in Self.material.unsealKeys + [Self.material.rootToken, Self.passphrase, "CANARY"] {
            #expect(!text.contains(secret))
        }
        #expect(!String(describing: Self.material).contains("CANARY"))
    }

    @Test("a wrong passphrase is a clear error and leaves the file as it was")
    func wrongPassphrase() throws {
        let folder = try TemporaryDirectory(prefix: "vault-keys")
        defer { folder.remove() }
        let file = VaultKeyFile(path: "\(folder.path)/keys", location: Self.noGit, cost: .testing)
        try file.save(Self.material, passphrase: Self.passphrase)
        let before = try Data(contentsOf: URL(fileURLWithPath: file.path))
        #expect(throws: VaultCustodyError.wrongPassphrase(path: file.path)) {
            try file.load(passphrase: "not the passphrase at all")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: file.path)) == before)
        #expect(VaultCustodyError.wrongPassphrase(path: file.path).description.contains("nothing was changed"))
    }

    @Test("a tampered file does not open")
    func tampered() throws {
        let folder = try TemporaryDirectory(prefix: "vault-keys")
        defer { folder.remove() }
        let file = VaultKeyFile(path: "\(folder.path)/keys", location: Self.noGit, cost: .testing)
        try file.save(Self.material, passphrase: Self.passphrase)
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file.path))) as? [String: Any])
        let sealedText = try #require(json["sealed"] as? String)
        var sealed = try #require(Data(base64Encoded: sealedText))
        sealed[sealed.count / 2] ^= 0x01
        json["sealed"] = sealed.base64EncodedString()
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: file.path))
        #expect(throws: VaultCustodyError.wrongPassphrase(path: file.path)) { try file.load(passphrase: Self.passphrase) }
    }

    @Test("a short passphrase, a missing file and a foreign file are refused with what to do")
    func refusals() throws {
        let folder = try TemporaryDirectory(prefix: "vault-keys")
        defer { folder.remove() }
        let file = VaultKeyFile(path: "\(folder.path)/keys", location: Self.noGit, cost: .testing)
        #expect(throws: VaultCustodyError.weakPassphrase(minimumLength: 12)) { try file.save(Self.material, passphrase: "short") }
        #expect(!file.exists)
        #expect(throws: VaultCustodyError.missing(path: file.path)) { try file.load(passphrase: Self.passphrase) }
        try folder.write("keys", #"{"hello": "world"}"#)
        #expect(throws: VaultCustodyError.self) { try file.load(passphrase: Self.passphrase) }
    }

    @Test("separate custody: one sealed file per share under its own passphrase, the main file without shares")
    func separateShares() throws {
        let folder = try TemporaryDirectory(prefix: "vault-keys")
        defer { folder.remove() }
        let file = VaultKeyFile(path: "\(folder.path)/keys", location: Self.noGit, cost: .testing)
        let passphrases = (1...3).map { "custodian number \($0)" }
        let paths = try file.saveSeparately(Self.material, sharePassphrases: passphrases)
        #expect(paths.map { ($0 as NSString).lastPathComponent } == ["keys.share-1-of-3", "keys.share-2-of-3", "keys.share-3-of-3"])
        for (index, path) in paths.enumerated() {
            #expect(try VaultKeyFile.loadShare(at: path, passphrase: passphrases[index]) == Self.material.unsealKeys[index])
        }
        #expect(throws: VaultCustodyError.wrongPassphrase(path: paths[0])) {
            try VaultKeyFile.loadShare(at: paths[0], passphrase: passphrases[1])
        }
        // A share file is not a key file, and the other way round.
        #expect(throws: VaultCustodyError.self) { try VaultKeyFile(path: paths[0], location: Self.noGit).load(passphrase: passphrases[0]) }
    }

    @Test("a path inside a git work tree is refused unless git ignores it")
    func gitWorkTree() throws {
        let repo = try TemporaryDirectory(prefix: "vault-repo")
        defer { repo.remove() }
        let git = { (arguments: [String]) throws in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git", "-C", repo.path] + arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            try #require(process.terminationStatus == 0, "git \(arguments) failed")
        }
        try git(["init", "-q"])
        try repo.write(".gitignore", "secrets/\n")
        let tracked = VaultKeyFile(path: "\(repo.path)/deploy/vault.keys", cost: .testing)
        #expect(throws: VaultCustodyError.insideGitWorkTree(path: tracked.path, workTree: repo.path)) {
            try tracked.save(Self.material, passphrase: Self.passphrase)
        }
        #expect(!tracked.exists, "nothing may be written before the location is accepted")
        let ignored = VaultKeyFile(path: "\(repo.path)/secrets/vault.keys", cost: .testing)
        try ignored.save(Self.material, passphrase: Self.passphrase)
        #expect(ignored.exists)
        #expect(VaultCustodyError.insideGitWorkTree(path: "p", workTree: "w").description.contains(".gitignore"))
    }
}
