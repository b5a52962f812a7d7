import Foundation
import Synchronization
import SprocketTestSupport
import Testing

/// `images lock` and `images update` against a registry stub that speaks the distribution API's manifest HEAD
/// and the Bearer token dance, with a tag that moves.
@Suite("images lock and update")
struct ImagesCommandTests {
    /// What the stub serves: the tag's current digest and its own port (known only once it listens).
    final class State: Sendable {
        let digest = Mutex("sha256:" + String(repeating: "a", count: 64))
        let port = Mutex<Int?>(nil)
    }

    final class Registry: Sendable {
        let state = State()
        let server: StubHTTPServer

        init() async throws {
            let state = self.state
            server = try await StubHTTPServer.start(on: .tcp()) { request in
                let port = state.port.withLock { $0 } ?? 0
                if request.path == "/token" {
                    return request.query["scope"] == "repository:team/app:pull" ? .json(#"{"token":"stub-token"}"#) : .json("{}", status: 403)
                }
                guard request.path == "/v2/team/app/manifests/1" else { return .text("", status: 404) }
                guard request.header("Authorization") == "Bearer stub-token" else {
                    return .text("", status: 401, headers: [(
                        "WWW-Authenticate", #"Bearer realm="http://127.0.0.1:\#(port)/token",service="stub",scope="repository:team/app:pull""#)])
                }
                return .text("", headers: [("Docker-Content-Digest", state.digest.withLock { $0 })])
            }
            state.port.withLock { $0 = server.port }
        }
    }

    @Test("lock pins the tag's digest, update --dry-run sees the tag move (exit 2), update moves the pin")
    func lockAndUpdate() async throws {
        let registry = try await Registry()
        let folder = try TemporaryDirectory(prefix: "images")
        defer { folder.remove() }
        let port = try #require(registry.server.port)
        try folder.write("stack.yaml", "stack: img\nenvironments: {a: {}, b: {}}\nlayers: [app]\n")
        try folder.write("app.yaml", "services:\n  app:\n    image: 127.0.0.1:\(port)/team/app:1\n")
        let lock = try await CLIBinary.runDetached(["images", "lock", "-f", folder.path, "--env", "a"])
        #expect(lock.status == 0, "\(lock.stdout)\(lock.stderr)")
        let written = try String(contentsOfFile: "\(folder.path)/images.lock", encoding: .utf8)
        #expect(written.contains("127.0.0.1:\(port)/team/app:1") && written.contains(registry.state.digest.withLock { $0 }))

        registry.state.digest.withLock { $0 = "sha256:" + String(repeating: "b", count: 64) }
        let dry = try await CLIBinary.runDetached(["images", "update", "--dry-run", "-f", folder.path, "--env", "b"])
        #expect(dry.status == 2 && dry.stdout.contains("-> sha256:bbbb"), "\(dry.stdout)\(dry.stderr)")
        #expect(try String(contentsOfFile: "\(folder.path)/images.lock", encoding: .utf8) == written, "a dry run writes nothing")
        let update = try await CLIBinary.runDetached(["images", "update", "-f", folder.path, "--env", "b"])
        #expect(update.status == 0)
        #expect(try String(contentsOfFile: "\(folder.path)/images.lock", encoding: .utf8).contains("sha256:bbbb"))
        try await registry.server.shutdown()
    }

    @Test("an unknown tag is a clear error naming the manifest URL")
    func unknownTag() async throws {
        let registry = try await Registry()
        let folder = try TemporaryDirectory(prefix: "images-404")
        defer { folder.remove() }
        let port = try #require(registry.server.port)
        try folder.write("stack.yaml", "stack: img\nlayers: [app]\n")
        try folder.write("app.yaml", "services:\n  app:\n    image: 127.0.0.1:\(port)/team/other:9\n")
        let run = try await CLIBinary.runDetached(["images", "lock", "-f", folder.path])
        #expect(run.status == 1 && run.stderr.contains("/v2/team/other/manifests/9") && run.stderr.contains("no such image or tag"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(folder.path)/images.lock"), "nothing written on failure")
        try await registry.server.shutdown()
    }
}
