import Foundation

/// Refuses a secret file path that git would track: inside a git work tree and not ignored.
///
/// The check runs before anything is sent to Vault, because an initialised Vault whose keys were not kept safely
/// cannot be repaired afterwards.
public struct GitWorkTreeGuard: Sendable {
    /// Runs `git` with arguments in a folder and returns its exit status; injectable for tests.
    public typealias GitRunner = @Sendable (_ arguments: [String], _ directory: String) -> Int32?

    var runGit: GitRunner

    public init(runGit: @escaping GitRunner = GitWorkTreeGuard.systemGit) {
        self.runGit = runGit
    }

    /// Throws ``VaultCustodyError/insideGitWorkTree(path:workTree:)`` when `path` lies in a work tree that does
    /// not ignore it. The file need not exist yet.
    public func check(_ path: String) throws(VaultCustodyError) {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        guard let workTree = Self.enclosingWorkTree(of: absolute) else { return }
        // `git check-ignore -q` exits 0 when ignored, 1 when not (a tracked file is never "ignored"); anything else (no git) counts as not ignored.
        let status = runGit(["check-ignore", "-q", absolute], workTree)
        if status != 0 { throw .insideGitWorkTree(path: absolute, workTree: workTree) }
    }

    /// The nearest folder above `path` that holds `.git` (a folder, or a file for worktrees and submodules).
    static func enclosingWorkTree(of path: String) -> String? {
        var folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        while true {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(".git").path) { return folder.path }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }

    public static let systemGit: GitRunner = { arguments, directory in
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
