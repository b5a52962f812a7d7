import Foundation
import SprocketCore
import Testing

@Suite("AtomicFile")
final class AtomicFileTests: ScratchFolderSuite {
    @Test("writes replace the content and leave no temporary file")
    func replaces() throws {
        for text in ["one", "two", "three"] { try AtomicFile.write(Array(text.utf8), to: folder.file("data/file.json")) }
        #expect(try AtomicFile.read(folder.file("data/file.json")) == Array("three".utf8))
        #expect(folder.contents() == ["data", "data/file.json"])
    }

    @Test("a missing file reads as nil")
    func missing() throws {
        #expect(try AtomicFile.read(folder.file("nothing")) == nil)
    }

    @Test("permissions are exact, whatever the umask", arguments: [0o600, 0o644] as [UInt16])
    func permissions(_ mode: UInt16) throws {
        try AtomicFile.write([1, 2, 3], to: folder.file("key"), permissions: mode_t(mode))
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.file("key"))
        #expect((attributes[.posixPermissions] as? NSNumber)?.uint16Value == mode)
    }

    @Test("a write that cannot be renamed into place fails and leaves no temporary file")
    func failedRename() throws {
        try folder.write("keep", to: "target/inside")
        let error = try #require(throws: SprocketError.self) { try AtomicFile.write([1], to: folder.file("target")) }
        #expect(error.code == .stateIO)
        #expect(folder.contents() == ["target", "target/inside"])
    }
}
