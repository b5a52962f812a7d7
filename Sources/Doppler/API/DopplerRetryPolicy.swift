/// How ``DopplerClient`` retries: on 429 (honouring `Retry-After`), and on a 5xx whose body is not JSON (a proxy
/// or load balancer error rather than Doppler's own answer), as Doppler's CLI does (docs/wire-formats.md §2.1).
///
/// The sleep is injectable so tests can record the waits instead of spending them.
public struct DopplerRetryPolicy: Sendable {
    /// Waits for a duration; throws when cancelled.
    public typealias Sleep = @Sendable (Duration) async throws -> Void

    /// Total tries, the first included (1 means never retry).
    public var maxAttempts: Int
    /// The wait before the first retry when the answer has no `Retry-After`; doubled for each further retry.
    public var initialDelay: Duration
    /// The longest wait this client accepts. A `Retry-After` above it ends the retries at once (the error says how
    /// long Doppler asked to wait) rather than blocking a deployment for minutes.
    public var maxDelay: Duration
    /// How to wait.
    public var sleep: Sleep

    /// Creates a policy; the defaults are 4 tries starting at 500 ms (the CLI's start), waits of at most 60 s.
    public init(
        maxAttempts: Int = 4, initialDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(60),
        sleep: @escaping Sleep = { try await Task.sleep(for: $0) }
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.sleep = sleep
    }

    /// The wait before retry number `retry` (1-based) when Doppler gave no `Retry-After`.
    func backoff(forRetry retry: Int) -> Duration {
        let doubled = initialDelay * (1 << min(max(retry - 1, 0), 16))
        return min(doubled, maxDelay)
    }
}
