/// A secret in a KV version 2 mount, and the API paths derived from it.
///
/// KV v2 never serves a secret at `<mount>/<path>`: data lives under `<mount>/data/<path>`, metadata under
/// `<mount>/metadata/<path>`, and so on. The original system mixed those up (writing `infrastructure/influx`
/// and reading `infrastructure/data/…`); deriving every path from one value makes that impossible.
///
/// ```swift
/// let secret = try VaultKVPath(mount: "platform", path: "prod/oauth/google")
/// secret.dataPath      // "platform/data/prod/oauth/google"
/// secret.metadataPath  // "platform/metadata/prod/oauth/google"
/// ```
public struct VaultKVPath: Sendable, Hashable, CustomStringConvertible {
    /// The mount, without slashes, e.g. `platform` (may hold inner slashes: `team/secrets`).
    public let mount: String
    /// The logical path inside the mount, e.g. `prod/oauth/google`; empty for the mount's root (for listing).
    public let path: String

    /// Creates a path, normalising slashes.
    ///
    /// - Throws: ``VaultPathError`` when the mount is empty, a segment is `.` or `..`, or the logical path already
    ///   starts with `data/` or `metadata/` (a KV v2 API path passed where a logical path belongs).
    public init(mount: String, path: String) throws {
        let mountSegments = try Self.segments(of: mount, what: "mount")
        guard !mountSegments.isEmpty else { throw VaultPathError.emptyMount(path: path) }
        let pathSegments = try Self.segments(of: path, what: "path")
        if let first = pathSegments.first, VaultKVPath.apiSegments.contains(first) {
            throw VaultPathError.apiSegmentInLogicalPath(mount: mountSegments.joined(separator: "/"), path: path)
        }
        self.mount = mountSegments.joined(separator: "/")
        self.path = pathSegments.joined(separator: "/")
    }

    /// Splits `"platform/prod/db"` into mount `platform` and path `prod/db` (the first segment is the mount).
    public init(logical: String) throws {
        let segments = try Self.segments(of: logical, what: "path")
        guard let mount = segments.first else { throw VaultPathError.emptyMount(path: logical) }
        try self.init(mount: mount, path: segments.dropFirst().joined(separator: "/"))
    }

    /// The segments right after the mount that KV v2 reserves for its API.
    public static let apiSegments: Set<String> = ["data", "metadata", "delete", "undelete", "destroy", "subkeys", "config"]

    /// `<mount>/data/<path>`: read, write, patch, soft-delete the latest version.
    public var dataPath: String { join("data") }
    /// `<mount>/metadata/<path>`: metadata read/write/delete, and LIST.
    public var metadataPath: String { join("metadata") }
    /// `<mount>/delete/<path>`: soft-delete given versions.
    public var deletePath: String { join("delete") }
    /// `<mount>/undelete/<path>`: restore soft-deleted versions.
    public var undeletePath: String { join("undelete") }
    /// `<mount>/destroy/<path>`: destroy versions for good.
    public var destroyPath: String { join("destroy") }
    /// `<mount>/config`: the engine's settings (max_versions, cas_required).
    public var configPath: String { "\(mount)/config" }

    /// `platform/prod/oauth/google`: how people and the Vault CLI (`vault kv get`) name it.
    public var description: String { path.isEmpty ? mount : "\(mount)/\(path)" }

    /// A path under this one, e.g. `VaultKVPath(mount: "platform", path: "prod").appending("db")`.
    public func appending(_ child: String) throws -> VaultKVPath {
        try VaultKVPath(mount: mount, path: path.isEmpty ? child : "\(path)/\(child)")
    }

    private func join(_ segment: String) -> String {
        path.isEmpty ? "\(mount)/\(segment)" : "\(mount)/\(segment)/\(path)"
    }

    static func segments(of text: String, what: String) throws -> [String] {
        let segments = text.split(separator: "/").map(String.init)
        if let bad = segments.first(where: { $0 == "." || $0 == ".." }) {
            throw VaultPathError.invalidSegment(text: text, segment: bad)
        }
        return segments
    }
}

/// A KV path or policy rule that cannot be right.
public enum VaultPathError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No mount was given.
    case emptyMount(path: String)
    /// `.` or `..` in a path (Vault refuses parent references).
    case invalidSegment(text: String, segment: String)
    /// A logical path that already starts with a KV v2 API segment, e.g. `data/prod/db`.
    case apiSegmentInLogicalPath(mount: String, path: String)
    /// A capability list that grants nothing.
    case noCapabilities(path: String)

    /// What is wrong and how to write it instead.
    public var description: String {
        switch self {
        case .emptyMount(let path):
            return "The Vault path \"\(path)\" has no mount; write it as <mount>/<path>, e.g. platform/prod/db"
        case .invalidSegment(let text, let segment):
            return "The Vault path \"\(text)\" contains \"\(segment)\"; Vault does not allow relative segments"
        case .apiSegmentInLogicalPath(let mount, let path):
            return "The KV path \"\(path)\" in mount \(mount) starts with a KV v2 API segment; give the logical "
                + "path (e.g. prod/db, not data/prod/db): data/ and metadata/ are added for you"
        case .noCapabilities(let path):
            return "The policy rule for \(path) grants no capabilities"
        }
    }
}
