import Foundation
import SprocketCore
import Testing

@Suite("StateLock")
final class StateLockTests: ScratchFolderSuite {
    @Test("a second acquire while the lock is held fails at once, naming pid, host and command")
    func held() throws {
        let lock = try StateLock.acquire(directory: folder.path, command: "up --env dev")
        defer { lock.release() }
        let error = try #require(throws: SprocketError.self) { try StateLock.acquire(directory: folder.path, command: "down") }
        #expect(error.code == .locked)
        #expect(error.message.contains("pid \(ProcessInfo.processInfo.processIdentifier) on \(ProcessInfo.processInfo.hostName)"))
        #expect(error.message.contains("running `up --env dev`"))
        #expect(error.subject == folder.file("lock"))
        #expect(lock.takenOverFrom == nil)
    }

    @Test("after release the lock can be taken again, and nothing is reported as taken over")
    func releaseThenAcquire() throws {
        try StateLock.acquire(directory: folder.path, command: "up").release()
        #expect(folder.read("lock") == "", "release clears the holder record")
        let again = try StateLock.acquire(directory: folder.path, command: "up")
        defer { again.release() }
        #expect(again.takenOverFrom == nil)
    }

    @Test("a lock file with a holder record but no flock (a dead holder) is taken over, naming that holder")
    func deadHolder() throws {
        try folder.write(#"{"pid":424242,"host":"ghost-host","startedAt":"2026-01-01T00:00:00Z","command":"up --layer app"}"#, to: "lock")
        let lock = try StateLock.acquire(directory: folder.path, command: "up")
        defer { lock.release() }
        let previous = try #require(lock.takenOverFrom)
        #expect(previous.pid == 424242)
        #expect(previous.host == "ghost-host")
        #expect(previous.command == "up --layer app")
        #expect(previous.description.hasPrefix("pid 424242 on ghost-host, running `up --layer app` since 2026-01-01T00:00:00Z"))
        #expect(folder.read("lock")?.contains("\"pid\":\(ProcessInfo.processInfo.processIdentifier)") == true, "the record names the new holder")
    }

    @Test("the lock folder is created when missing")
    func createsFolder() throws {
        let lock = try StateLock.acquire(directory: folder.file("state/it/dev"), command: "up")
        lock.release()
        #expect(FileManager.default.fileExists(atPath: folder.file("state/it/dev/lock")))
    }
}
