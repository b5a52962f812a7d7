import Foundation
import SprocketTestSupport
import Testing

/// The test support's OpenBao launcher fails loudly: a missing or broken binary is an error that says what to do,
/// never a skip, and a started server leaves no process or folder behind.
@Suite("OpenBaoServer: fails clearly without a binary, cleans up after itself")
struct OpenBaoServerTests {
    @Test("without SPROCKET_TEST_BAO, or with a path that is not an executable, the error says to run scripts/test")
    func missingBinary() throws {
        #expect {
            try OpenBaoServer.binary(environment: [:])
        } throws: { error in
            String(describing: error).contains("SPROCKET_TEST_BAO is not set") && String(describing: error).contains("scripts/test")
        }
        #expect {
            try OpenBaoServer.binary(environment: ["SPROCKET_TEST_BAO": "/nonexistent/bao"])
        } throws: { error in
            String(describing: error).contains("/nonexistent/bao is not an executable file")
        }
    }

    @Test("a binary that exits at once is an error with its exit status, and its folder is removed")
    func binaryThatDoesNotStart() async throws {
        let prefix = "openbao-failing-\(uniqueSuffix())"
        await #expect {
            _ = try await OpenBaoServer.start(executable: "/bin/false", folderPrefix: prefix)
        } throws: { error in
            String(describing: error).contains("bao server exited at start (status 1)")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix(prefix) }
        #expect(left.isEmpty, "no temporary folder left behind: \(left)")
    }

    @Test("stop ends the process and removes the raft folder; restart keeps the port and comes back sealed (real OpenBao)")
    func lifecycle() async throws {
        let (server, keys) = try await OpenBaoServer.startUnsealed()
        do {
            let port = server.port
            let pid = try #require(server.processIdentifier)
            try await server.restart()
            #expect(server.port == port && server.processIdentifier != pid)
            let state = try await server.sealState()
            #expect(state.initialized && state.sealed, "a restarted OpenBao is sealed")
            try await server.unseal(keys: keys.keys)
            #expect(try await server.healthCode() == 200, "unseal waits until active (429 is 'not yet')")
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
        #expect(!server.isRunning && !FileManager.default.fileExists(atPath: server.directory))
    }
}
