import Foundation
import SprocketTestSupport
import Testing

/// End-to-end runs of the built binary: exit codes, where output goes, and that it never crashes on bad input.
@Suite("sprocketctl exit codes and output")
struct CLIExitCodeTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func run(_ arguments: [String], environment: [String: String] = [:], directory: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try CLIBinary.path())
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    var quickstart: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples/quickstart").path
    }

    @Test("validate accepts the example and plan --offline lists every object as a create")
    func offlinePlanOfTheExample() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let validate = try run(["validate", "-f", quickstart, "--env", "local"])
        #expect(validate.status == 0, "\(validate.stderr)")
        let plan = try run(["plan", "-f", quickstart, "--env", "local", "--offline", "--state-dir", folder.path], environment: ["SPROCKET_KEY_FILE": "\(folder.path)/k"])
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("+ service proxy"))
        #expect(plan.stdout.contains("to create"))
        let detailed = try run(["plan", "-f", quickstart, "--env", "local", "--offline", "--detailed-exitcode", "--state-dir", folder.path], environment: ["SPROCKET_KEY_FILE": "\(folder.path)/k"])
        #expect(detailed.status == 2)
        #expect(!FileManager.default.fileExists(atPath: "\(folder.path)/k"), "an offline plan creates no key")
    }

    @Test("plan --offline --json prints one JSON document on stdout")
    func offlinePlanAsJSON() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let plan = try run(["plan", "-f", quickstart, "--env", "local", "--offline", "--json", "--state-dir", folder.path], environment: ["SPROCKET_KEY_FILE": "\(folder.path)/k"])
        #expect(plan.status == 0)
        let decoded = try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any]
        #expect(decoded?["layers"] != nil)
    }

    @Test("an invalid spec exits 3 with file:line:column diagnostics on stderr")
    func invalidSpecExitsThree() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("stack.yaml", "stack: bad\nlayers: [one]\n")
        try folder.write("one.yaml", "services:\n  web:\n    image: x\n    replicas: 2\n    deploy:\n      replicas: many\n")
        let result = try run(["validate", "-f", folder.path])
        #expect(result.status == 3)
        #expect(result.stderr.contains("one.yaml:4:"), "\(result.stderr)")
        #expect(result.stderr.contains("one.yaml:6:"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("a wrong DOCKER_HOST exits 5 and says what to do")
    func unreachableDaemonExitsFive() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let result = try run(
            ["plan", "-f", quickstart, "--env", "local", "--state-dir", folder.path],
            environment: ["DOCKER_HOST": "unix:///nonexistent/docker.sock", "SPROCKET_KEY_FILE": "\(folder.path)/k"])
        #expect(result.status == 5, "\(result.stderr)")
        #expect(result.stderr.contains("DOCKER_HOST"))
        let malformed = try run(["plan", "-f", quickstart, "--env", "local"], environment: ["DOCKER_HOST": "ftp://nowhere"])
        #expect(malformed.status != 0)
        #expect(malformed.stderr.contains("DOCKER_HOST"), "\(malformed.stderr)")
    }

    @Test("down refuses without --yes when stdin is not a terminal")
    func downNeedsConfirmation() throws {
        let result = try run(["down", "--stack", "it-nothing", "--env", "x"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("--yes"))
    }
}
