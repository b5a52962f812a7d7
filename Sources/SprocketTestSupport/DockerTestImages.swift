import Foundation
import Subprocess
import Synchronization

/// Local images for tests against the real dockerd. No registry is reachable on the build machines, so images are
/// built offline from binaries installed on the host.
public enum DockerTestImages {
    /// A busybox image built `FROM scratch` from the host's static busybox.
    public static let busybox = "sprocket-local/busybox:latest"

    /// Where Debian's busybox-static puts the binary.
    static let busyboxCandidates = ["/usr/bin/busybox", "/bin/busybox", "/usr/bin/busybox-static"]

    /// Skips the `docker image inspect` once an earlier call in this process has confirmed the image.
    private static let confirmed = Mutex<Set<String>>([])

    /// Makes sure ``busybox`` exists in the local daemon, building it when missing.
    ///
    /// The image is `FROM scratch` + the host's `/bin/busybox` + `busybox --install -s /bin`, built with the
    /// classic builder (`DOCKER_BUILDKIT=0`), which needs no network.
    ///
    /// - Throws: ``DockerTestImageError`` when busybox-static is not installed (with the apt-get command that
    ///   fixes it), when the docker CLI is missing, or when the build fails (with its output).
    public static func ensureBusybox() async throws {
        if confirmed.withLock({ $0.contains(busybox) }) { return }
        if try await imageExists(busybox) {
            confirmed.withLock { _ = $0.insert(busybox) }
            return
        }
        try await buildBusybox(tag: busybox)
        confirmed.withLock { _ = $0.insert(busybox) }
    }

    /// Builds the busybox image under `tag`, whatever exists already.
    static func buildBusybox(tag: String) async throws {
        let binary = try staticBusyboxPath()
        let context = FileManager.default.temporaryDirectory
            .appendingPathComponent("sprocket-busybox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: context, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: context) }
        try FileManager.default.copyItem(atPath: binary, toPath: context.appendingPathComponent("busybox").path)
        let dockerfile = """
            FROM scratch
            COPY busybox /bin/busybox
            RUN ["/bin/busybox","--install","-s","/bin"]
            """
        try Data(dockerfile.utf8).write(to: context.appendingPathComponent("Dockerfile"))
        let output = try await docker(
            ["build", "--label", "io.sprocket.test-image=busybox", "-t", tag, context.path],
            environment: ["DOCKER_BUILDKIT": "0"]
        )
        guard output.succeeded else {
            throw DockerTestImageError("docker build of \(tag) failed:\n\(output.text.suffix(4_000))")
        }
    }

    /// True when the local daemon has `reference`.
    static func imageExists(_ reference: String) async throws -> Bool {
        try await docker(["image", "inspect", "--format", "{{.Id}}", reference]).succeeded
    }

    /// The path of a statically linked busybox; a dynamically linked one cannot run in a `FROM scratch` image.
    static func staticBusyboxPath() throws -> String {
        let installHint = "install it with: apt-get install -y busybox-static"
        let found = busyboxCandidates.filter { FileManager.default.isExecutableFile(atPath: $0) }
        guard !found.isEmpty else {
            throw DockerTestImageError(
                "busybox is not installed (looked in \(busyboxCandidates.joined(separator: ", "))); \(installHint)")
        }
        for path in found where try isStaticELF(path) {
            return path
        }
        throw DockerTestImageError("\(found.joined(separator: ", ")) is dynamically linked; \(installHint)")
    }

    /// Reads the ELF program headers: a binary without a `PT_INTERP` entry needs no dynamic loader.
    static func isStaticELF(_ path: String) throws -> Bool {
        let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        // 64-bit little-endian ELF only, which is what the x86-64 and arm64 build machines run.
        guard data.count > 64, data[0..<4].elementsEqual([0x7F, 0x45, 0x4C, 0x46]), data[4] == 2, data[5] == 1 else {
            return false
        }
        func integer(at offset: Int, size: Int) -> Int {
            (0..<size).reduce(0) { $0 | Int(data[offset + $1]) << (8 * $1) }
        }
        let programHeaderOffset = integer(at: 0x20, size: 8)
        let entrySize = integer(at: 0x36, size: 2)
        let entryCount = integer(at: 0x38, size: 2)
        let interpreterType = 3
        for index in 0..<entryCount {
            let offset = programHeaderOffset + index * entrySize
            guard offset + 4 <= data.count else { return false }
            if integer(at: offset, size: 4) == interpreterType { return false }
        }
        return true
    }

    /// Runs the docker CLI and collects its combined output.
    static func docker(
        _ arguments: [String], environment: [Environment.Key: String] = [:]
    ) async throws -> (succeeded: Bool, text: String) {
        do {
            let result = try await run(
                .name("docker"),
                arguments: Arguments(arguments),
                environment: .inherit.updating(environment),
                output: .string(limit: 4 << 20),
                error: .combinedWithOutput
            )
            return (result.terminationStatus.isSuccess, result.standardOutput)
        } catch let error as SubprocessError {
            throw DockerTestImageError(
                "cannot run the docker CLI (\(error)); install it with: apt-get install -y docker.io")
        }
    }
}

/// A test image could not be provided; the message says how to fix the machine.
public struct DockerTestImageError: Error, CustomStringConvertible {
    /// What went wrong and what to install.
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
