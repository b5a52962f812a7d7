import Foundation
import SprocketTestSupport
import Testing

@testable import DockerEngine

@Suite("runner image: tar archive and library list")
struct ExecutableImageTests {
    /// Runs the system's tar on `archive` and returns its output.
    func tar(_ arguments: [String], archive: [UInt8]) throws -> String {
        let folder = try TemporaryDirectory(prefix: "tar-test")
        defer { folder.remove() }
        let path = "\(folder.path)/archive.tar"
        try Data(archive).write(to: URL(fileURLWithPath: path))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/tar")
        process.arguments = arguments + ["-f", path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "tar failed: \(String(decoding: data, as: UTF8.self))")
        return String(decoding: data, as: UTF8.self)
    }

    @Test("GNU tar reads the archive: directories, modes, contents, and a path longer than 100 bytes")
    func archiveIsReadable() throws {
        var writer = TarArchiveWriter()
        try writer.addDirectory("tmp", mode: 0o1777)
        try writer.addFile("/usr/local/bin/tool", contents: Array("#!/bin/sh\necho hi\n".utf8), mode: 0o755)
        let longDirectory = "opt/" + String(repeating: "d", count: 90) + "/" + String(repeating: "e", count: 40)
        try writer.addFile("\(longDirectory)/lib.so", contents: [UInt8](repeating: 7, count: 1_000))
        let archive = writer.finished()
        #expect(archive.count % 512 == 0)

        let listing = try tar(["-tv"], archive: archive)
        #expect(listing.contains("drwxrwxrwt") && listing.contains("tmp/"), "\(listing)")
        #expect(listing.contains("-rwxr-xr-x") && listing.contains("usr/local/bin/tool"), "\(listing)")
        #expect(listing.contains("\(longDirectory)/lib.so") && listing.contains("1000"), "\(listing)")
        #expect(try tar(["-xO", "usr/local/bin/tool"], archive: archive) == "#!/bin/sh\necho hi\n")
    }

    @Test("a path no ustar header can hold is an error naming it")
    func tooLong() {
        var writer = TarArchiveWriter()
        let path = String(repeating: "x", count: 120)
        #expect(throws: TarArchiveWriter.EntryError.self) { try writer.addFile(path, contents: []) }
    }

    @Test("ldd output: resolved libraries and the loader, not vdso or unresolved names")
    func lddParsing() {
        let output = """
            \tlinux-vdso.so.1 (0x00007ffd)
            \tlibswiftCore.so => /opt/swift/usr/lib/swift/linux/libswiftCore.so (0x00007f)
            \tlibz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x00007f)
            \tlibmissing.so => not found
            \t/lib64/ld-linux-x86-64.so.2 (0x00007f)
            """
        #expect(ExecutableImage.libraryPaths(fromLDD: output) == [
            "/lib/x86_64-linux-gnu/libz.so.1", "/lib64/ld-linux-x86-64.so.2", "/opt/swift/usr/lib/swift/linux/libswiftCore.so",
        ])
    }
}
