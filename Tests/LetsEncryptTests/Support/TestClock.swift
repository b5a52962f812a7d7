import Foundation

/// A settable wall clock for ledger tests.
final class TestClock: @unchecked Sendable {
    // Guarded by `lock`; that is why the class is @unchecked Sendable.
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = start
    }

    var now: Date { lock.withLock { current } }

    func advance(by seconds: TimeInterval) {
        lock.withLock { current = current.addingTimeInterval(seconds) }
    }

    /// The closure form the ledger takes.
    var function: @Sendable () -> Date { { [self] in now } }
}

let hour: TimeInterval = 3600
let day: TimeInterval = 24 * hour
