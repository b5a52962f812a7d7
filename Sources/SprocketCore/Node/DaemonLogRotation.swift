import Foundation

/// The log-rotation limits `node bootstrap` keeps in Docker's `daemon.json`: without them `json-file` logs grow
/// until the disk is full (one of the original's outages).
///
/// Only `log-driver` and `log-opts.max-size`/`max-file` are touched; every other key of the file is kept as it is.
public struct DaemonLogRotation: Sendable, Hashable {
    public var driver: String
    /// Docker's size syntax: `10m`, `1g`.
    public var maxSize: String
    public var maxFile: Int

    public init(driver: String = "json-file", maxSize: String = "10m", maxFile: Int = 3) {
        self.driver = driver
        self.maxSize = maxSize
        self.maxFile = maxFile
    }

    /// What applying the limits to a `daemon.json` would do.
    public enum Outcome: Sendable, Hashable {
        /// The file already has these limits: nothing to write.
        case unchanged
        /// The new file content, and the settings that differ (`log-opts.max-size: 100m -> 10m`).
        case update(content: [UInt8], changes: [String])
    }

    /// Compares `existing` (nil: no file) with the limits and returns what to write.
    ///
    /// - Throws: ``SprocketError`` naming `path` when the file is not a JSON object (it is never overwritten then).
    public func apply(to existing: [UInt8]?, path: String) throws -> Outcome {
        var document: [String: Any] = [:]
        if let existing, !existing.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(existing)) as? [String: Any] else {
                throw SprocketError(
                    .init(rawValue: "daemon-json"), "is not a JSON object; it was left as it is", subject: path,
                    hint: "fix the file (dockerd refuses to start with it too), then run `node bootstrap` again")
            }
            document = object
        }
        var options = document["log-opts"] as? [String: Any] ?? [:]
        var changes: [String] = []
        func set(_ key: String, _ value: String, in dictionary: inout [String: Any], label: String) {
            let current = dictionary[key].map { "\($0)" }
            guard current != value else { return }
            changes.append("\(label): \(current ?? "absent") -> \(value)")
            dictionary[key] = value
        }
        set("log-driver", driver, in: &document, label: "log-driver")
        set("max-size", maxSize, in: &options, label: "log-opts.max-size")
        set("max-file", String(maxFile), in: &options, label: "log-opts.max-file")
        guard !changes.isEmpty else { return .unchanged }
        document["log-opts"] = options
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return .update(content: Array(data) + [UInt8(ascii: "\n")], changes: changes)
    }
}
