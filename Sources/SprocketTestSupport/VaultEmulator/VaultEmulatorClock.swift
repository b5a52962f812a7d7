import Foundation
import Synchronization

/// The Vault emulator's notion of "now", which tests can move forward to expire tokens without waiting.
///
/// It runs with the system clock plus an offset: ``advance(by:)`` adds to the offset. A frozen clock
/// (``init(frozenAt:)``) moves only when advanced.
public final class VaultEmulatorClock: Sendable {
    private let state: Mutex<(frozen: Date?, offset: TimeInterval)>

    /// A clock that follows the system clock (plus whatever ``advance(by:)`` adds).
    public init() {
        state = Mutex((nil, 0))
    }

    /// A clock stopped at `date` that moves only when advanced.
    public init(frozenAt date: Date) {
        state = Mutex((date, 0))
    }

    /// The emulator's current time.
    public var now: Date {
        state.withLock { ($0.frozen ?? Date()).addingTimeInterval($0.offset) }
    }

    /// Moves the clock forward.
    public func advance(by duration: Duration) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        state.withLock { $0.offset += seconds }
    }
}
