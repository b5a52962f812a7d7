import Synchronization

/// The service changes a run has made so far, in order, so that a failed run can undo exactly those.
final class ChangeJournal: Sendable {
    private let entries = Mutex<[PlannedChange]>([])

    func record(_ change: PlannedChange) {
        entries.withLock { $0.append(change) }
    }

    /// Drops a change this run turned out not to have made.
    func forget(_ change: PlannedChange) {
        entries.withLock { $0.removeAll { $0 == change } }
    }

    var changes: [PlannedChange] { entries.withLock { $0 } }
}
