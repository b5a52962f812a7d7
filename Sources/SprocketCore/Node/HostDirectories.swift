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

    /// A host path the stack binds, and what binds it (`volume influx-data`, `service socket-proxy`).
    public struct Requirement: Sendable, Hashable {
        public var path: String
        public var owner: String
    }

    /// Every host path the stack binds: services' bind-mount sources and the `device` of local volumes mounted
    /// with `o: bind` (Docker fails the first task using such a volume when the folder is missing). Sorted by path.
    public static func requirements(of stack: StackSpec) -> [Requirement] {
        var found: Set<Requirement> = []
        for layer in stack.layers {
            for volume in layer.volumes where volume.driverOptions["o"]?.split(separator: ",").contains("bind") == true {
                if let device = volume.driverOptions["device"], device.hasPrefix("/") { found.insert(Requirement(path: device, owner: "volume \(volume.name)")) }
            }
            for service in layer.services {
                for mount in service.mounts where mount.kind == .bind {
                    if let source = mount.source { found.insert(Requirement(path: source, owner: "service \(service.name)")) }
                }
            }
        }
        return found.sorted { ($0.path, $0.owner) < ($1.path, $1.owner) }
    }

    /// Every host path the stack binds (``requirements(of:)``), absolute, sorted and without duplicates.
    public static func required(by stack: StackSpec) -> [String] {
        Array(Set(requirements(of: stack).map(\.path))).sorted()
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
