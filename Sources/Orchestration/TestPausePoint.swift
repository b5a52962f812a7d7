import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// For the tests of a paused run: `SPROCKET_TEST_PAUSE_BEFORE="create service it-x_web"` makes the process stop
/// itself (SIGSTOP) once, after the lease check of the first mutating call whose name starts with that text and
/// before the call, as a laptop lid closed at the worst moment would. A test sends SIGCONT to resume it.
struct TestPausePoint: Sendable {
    let operation: String
    private static let paused = Mutex(false)

    func pause(_ name: String) async {
        guard name.hasPrefix(operation) else { return }
        let first = Self.paused.withLock { paused in
            defer { paused = true }
            return !paused
        }
        guard first else { return }
        FileHandle.standardError.write(Data("paused before \(name) (SPROCKET_TEST_PAUSE_BEFORE)\n".utf8))
        raise(SIGSTOP)
    }
}
