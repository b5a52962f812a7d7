import Foundation

/// The host folders a stack's bind mounts need: Swarm refuses to start a task whose bind source is missing
/// (`invalid mount config: bind source path does not exist`), so `node bootstrap` creates them first.
public struct HostDirectories: Sendable {
    /// Mode of the folders it creates: owner and group only.
    public static let mode: mode_t = 0o750

    public enum Outcome: Sendable, Hashable {
        case present
        case created
        case wouldCreate
    }

    /// Every bind-mount source of the stack, absolute, sorted and without duplicates.
    public static func required(by stack: StackSpec) -> [String] {
        let sources = stack.layers.flatMap(\.services).flatMap(\.mounts).filter { $0.kind == .bind }.compactMap(\.source)
        return Set(sources).sorted()
    }

    /// Creates `path` (and its parents) with ``mode`` unless it exists; `dryRun` only says what it would do.
    ///
    /// An existing file or socket is a file bind (Docker's own `/var/run/docker.sock` for a socket proxy): present.
    /// A missing source whose name has an extension (`app.conf`, `docker.sock`) is taken for a file, which this
    /// cannot invent: an error, rather than a folder where a file was meant.
    ///
    /// - Throws: ``SprocketError`` when a file source is missing, or a folder cannot be created.
    public static func ensure(_ path: String, dryRun: Bool) throws -> Outcome {
        if FileManager.default.fileExists(atPath: path) { return .present }
        let name = (path as NSString).lastPathComponent
        if name.dropFirst().contains(".") {
            throw SprocketError(
                .init(rawValue: "host-directory"), "the bind source `\(name)` is missing and looks like a file, which bootstrap cannot create",
                subject: path, hint: "put the file there before `up` (Swarm refuses a task whose bind source is missing), or bind a folder")
        }
        if dryRun { return .wouldCreate }
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: NSNumber(value: mode)])
            // The umask may have narrowed the mode; set it explicitly.
            try FileManager.default.setAttributes([.posixPermissions: NSNumber(value: mode)], ofItemAtPath: path)
        } catch {
            throw SprocketError(
                .init(rawValue: "host-directory"), "cannot create the folder: \(error.localizedDescription)", subject: path,
                hint: "run `node bootstrap` as root (or a user who may write there)")
        }
        return .created
    }
}
