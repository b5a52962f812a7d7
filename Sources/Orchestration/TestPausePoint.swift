import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// For the tests of a paused or killed run: the process stops itself (SIGSTOP) once, at the first operation whose
/// name starts with `operation`, as a laptop lid closed at the worst moment would. A test then sends SIGCONT to
/// resume it, or SIGKILL to end it there.
///
/// - `SPROCKET_TEST_PAUSE_BEFORE="create service it-x_web"`: after the lease check of that Docker call and before
///   the call (what slips between a check and its call).
/// - `SPROCKET_TEST_PAUSE_AT_CHECK="Vault POST auth/token/create"`: right before the lease check of any operation
///   of the run (Docker, Vault, PostgreSQL, S3, the sealed store, state): a phase boundary; resumed after a
///   takeover, the check itself finds the lease lost.
struct TestPausePoint: Sendable {
    let operation: String
    var variable = "SPROCKET_TEST_PAUSE_BEFORE"
    private static let paused = Mutex(false)

    func pause(_ name: String) async {
        guard name.hasPrefix(operation) else { return }
        let first = Self.paused.withLock { paused in
            defer { paused = true }
            return !paused
        }
        guard first else { return }
        FileHandle.standardError.write(Data("paused before \(name) (\(variable))\n".utf8))
        raise(SIGSTOP)
    }
}
