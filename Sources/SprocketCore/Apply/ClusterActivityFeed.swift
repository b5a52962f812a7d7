/// A live feed of "something happened to these services" from the orchestrator (Docker's event stream), so that
/// a convergence wait re-reads the cluster when a task changes instead of only on a timer.
///
/// A feed is a hint, never the truth: the wait still reads the services' state after every wake-up, and still
/// polls on a slower timer, because an event may arrive before the orchestrator's own state reflects it and
/// some changes (tasks on other nodes) produce no event at the manager at all.
public protocol ClusterActivityFeed: Sendable {
    /// Returns `true` as soon as an event about the watched services arrived since the last call (at once if one
    /// is pending), or `false` once `limit` passed without one. Returns early, with `false`, when cancelled.
    func next(upTo limit: Duration) async -> Bool
    /// Stops following events.
    func close()
}

extension ClusterDriver {
    /// No live feed: convergence waits poll.
    public func activityFeed(for serviceNames: [String]) async -> (any ClusterActivityFeed)? { nil }
}
