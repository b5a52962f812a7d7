import Foundation

/// Copies the state of one stack environment from one store to another (`state migrate --to URL`).
public enum StateMigration {
    /// Copies state and runs from `source` to `destination`, holding both locks; the destination's previous
    /// history is replaced. The sealed secret store goes along (ciphertext; the key stays where it is).
    /// - Returns: The number of runs copied.
    public static func migrate(from source: any StateStore, to destination: any StateStore, command: String, now: Date) async throws -> Int {
        guard source.location != destination.location else {
            throw SprocketError(
                .unsupportedChange, "the state is already at \(destination.location)", subject: destination.location,
                hint: "pass another URL to `--to`")
        }
        guard source.identity == destination.identity else {
            throw SprocketError(
                .stateCorrupt, "cannot migrate \(source.identity) into the state of \(destination.identity)", subject: destination.location)
        }
        // Both leases are checked just before the write: a migration paused past either one writes nothing.
        return try await source.withLease(command: command, now: now) { sourceLease in
            try await destination.withLease(command: command, now: now) { destinationLease in
                let export = try await source.export()
                try await sourceLease.check(before: "copying the state to \(destination.location)")
                try await destinationLease.check(before: "importing the state into \(destination.location)")
                try await destination.importState(export)
                return export.runs.count
            }
        }
    }
}
