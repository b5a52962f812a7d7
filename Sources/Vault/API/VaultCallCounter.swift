import SprocketCore
import Synchronization

/// The Vault calls of one run, shared by every ``VaultClient`` the run opens (the unseal gate, the manifest's Vault
/// hop, the token keeper each open their own), so that `up` can say how many calls changed Vault in total. Safe to
/// use from any task: the counts sit behind a `Mutex`, as ``VaultClient``'s token does.
public final class VaultCallCounter: Sendable {
    private let counts = Mutex(APICallStats())
    private let fence = Mutex<(@Sendable (String) async throws -> Void)?>(nil)

    /// Creates a counter at zero.
    public init() {}

    /// The calls counted so far.
    public func stats() -> APICallStats {
        counts.withLock { $0 }
    }

    /// Sets the counts back to zero.
    public func reset() {
        counts.withLock { $0 = APICallStats() }
    }

    /// From now on, every call that changes Vault (``VaultRequest/isMutating``) of every client sharing this counter
    /// first passes `check` with its name (`PUT sys/unseal`): a run's lease check, which throws when the run lost it.
    public func fenceWrites(_ check: @escaping @Sendable (String) async throws -> Void) {
        fence.withLock { $0 = check }
    }

    func beforeSending(_ request: VaultRequest) async throws {
        guard request.isMutating, let check = fence.withLock({ $0 }) else { return }
        try await check("Vault \(request.method) \(request.path)")
    }

    func record(_ request: VaultRequest) {
        counts.withLock { $0.record("\(request.method) \(request.path)", mutating: request.isMutating) }
    }
}
