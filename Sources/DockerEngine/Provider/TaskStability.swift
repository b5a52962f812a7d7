import Foundation

/// Decides which of a service's running tasks have shown that they keep running.
///
/// The manager's view of a task trails the node's, and more so on a busy node: a container that exits at once can
/// still be "running" there for seconds, and its "running" report can arrive late carrying an old timestamp. So a
/// task counts only when three signals agree: its own timestamp is `window` old, this process has itself seen it
/// running for `window` (unless the timestamp is old enough that no late report explains it), and, when it runs on
/// the node this process talks to, that node's container really is running (asked once per task).
struct TaskStability {
    /// A running task of the service's current version, as the manager reports it.
    struct RunningTask: Equatable {
        var id: String
        var runningSince: Date?
        var nodeID: String?
        var containerID: String?
    }

    /// How long a task must have been running (0 when a healthcheck already proves it).
    var window: TimeInterval
    /// A task whose "running" timestamp is this old counts without a sighting of this process's own: a service
    /// running since long before this run must not make a no-change `up` wait.
    var settledAge: TimeInterval = 30

    /// The tasks that have been running long enough, and in how many seconds the others may have.
    func timeTest(_ tasks: [RunningTask], firstSeen: [String: Date], now: Date) -> (passed: [RunningTask], recheckIn: TimeInterval?) {
        guard window > 0 else { return (tasks, nil) }
        var passed: [RunningTask] = []
        var recheckIn: TimeInterval?
        for task in tasks {
            let age = task.runningSince.map { now.timeIntervalSince($0) } ?? 0
            let seenFor = firstSeen[task.id].map { now.timeIntervalSince($0) } ?? 0
            if age >= window && (seenFor >= window || age >= settledAge) {
                passed.append(task)
                continue
            }
            let wait = max(window - age, min(window - seenFor, settledAge - age))
            recheckIn = min(recheckIn ?? wait, wait)
        }
        return (passed, recheckIn)
    }

    /// The tasks among `passed` whose container this node has and nobody has confirmed yet.
    static func needingNodeCheck(_ passed: [RunningTask], localNodeID: String?, confirmed: Set<String>) -> [RunningTask] {
        guard let localNodeID, !localNodeID.isEmpty else { return [] }
        return passed.filter { $0.nodeID == localNodeID && $0.containerID != nil && !confirmed.contains($0.id) }
    }

    /// Splits the checked tasks by their container's state on this node (`containerStates`: container ID to
    /// Docker's `State`, e.g. `running`, `exited`); a container the node does not list is not running either.
    static func split(_ checked: [RunningTask], containerStates: [String: String]) -> (confirmed: [RunningTask], contradicted: [RunningTask]) {
        var confirmed: [RunningTask] = []
        var contradicted: [RunningTask] = []
        for task in checked {
            if let id = task.containerID, containerStates[id] == "running" { confirmed.append(task) } else { contradicted.append(task) }
        }
        return (confirmed, contradicted)
    }
}
