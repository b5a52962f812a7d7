import Foundation
import SprocketCore
import Synchronization

/// An image holding one executable and the shared libraries it loads, imported into the local daemon: how a job
/// runs `sprocketctl` itself inside the cluster when no image of it was published.
///
/// The image is named after the executable's content (`sprocketctl-runner:<sha256 prefix>`), so a given build is
/// imported once and a new build gets a new image. It exists only on the node whose daemon imported it: a job
/// using it must be placed on that node.
public struct ExecutableImage: Sendable {
    /// Where the executable is put in the image.
    public static let executablePath = RunnerImage.executablePath

    public var executable: String
    public var repository: String

    /// - Parameter executable: the file to package; by default the running program.
    public init(executable: String = ExecutableImage.currentExecutable(), repository: String = RunnerImage.placeholder) {
        self.executable = executable
        self.repository = repository
    }

    /// The running program's path (`/proc/self/exe`, which names the file even when started through a symlink).
    public static func currentExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// The image's reference (`sprocketctl-runner:<sha256 prefix of the executable>`), without asking a daemon: what
    /// a spec names before `up` imports it.
    /// - Throws: ``SprocketError`` naming the file when the executable cannot be read.
    public func reference() throws -> String {
        if let known = Self.digests.withLock({ $0[executable] }) { return "\(repository):\(known)" }
        return reference(of: try read(executable))
    }

    /// Digest prefixes by executable path: a command asks for the reference several times, and the executable is large.
    private static let digests = Mutex<[String: String]>([:])

    private func reference(of content: [UInt8]) -> String {
        let digest = String(ContentHash.sha256Hex(content).prefix(16))
        Self.digests.withLock { $0[executable] = digest }
        return "\(repository):\(digest)"
    }

    /// Imports the image unless the daemon has it, and returns its reference.
    /// - Throws: ``SprocketError`` naming the file when the executable or a library cannot be read, or `ldd` fails.
    public func ensure(on client: DockerClient) async throws -> String {
        let reference = try reference()
        if try await client.imageExists(reference) { return reference }
        let content = try read(executable)
        var archive = TarArchiveWriter()
        do {
            try archive.addDirectory("tmp", mode: 0o1777)
            try archive.addDirectory("run/secrets")
            try archive.addFile(Self.executablePath, contents: content, mode: 0o755)
            let libraries = try sharedLibraries()
            for library in libraries {
                try archive.addFile(library, contents: try read(library), mode: 0o755)
            }
            let directories = Array(Set(libraries.map { ($0 as NSString).deletingLastPathComponent })).sorted()
            try await client.importImage(
                archive.finished(), repository: repository, tag: String(reference.split(separator: ":").last ?? ""),
                changes: directories.isEmpty ? [] : ["ENV LD_LIBRARY_PATH=\(directories.joined(separator: ":"))"])
            await removeOtherBuilds(keeping: reference, on: client)
        } catch let error as TarArchiveWriter.EntryError {
            throw SprocketError(.engine, error.description, subject: executable, hint: Self.publishHint)
        } catch let error as DockerClientError {
            throw SprocketError(.engine, "importing the runner image \(reference) failed: \(error)", subject: executable, hint: Self.publishHint)
        }
        return reference
    }

    /// Imports the image unless the daemon has it, and returns its reference with the placement a job using it
    /// needs: this daemon's node, the only one that has the image.
    /// - Parameter subject: what needs the job, for the error (e.g. `postgres.reach`).
    /// - Throws: ``SprocketError`` as ``ensure(on:)`` does, and when the daemon is not part of a swarm.
    public func ensureOnThisNode(on client: DockerClient, subject: String) async throws -> (reference: String, constraints: [String]) {
        let reference = try await ensure(on: client)
        guard let node = try await client.info().swarm?.nodeID, !node.isEmpty else {
            throw SprocketError(
                .engine, "the Docker daemon is not part of a swarm, so it cannot run a job", subject: subject,
                hint: "run `sprocketctl node bootstrap` (or `docker swarm init`) first")
        }
        return (reference, ["node.id == \(node)"])
    }

    /// How many builds' images stay: a few, so that builds used side by side (a release and a debug build, two
    /// operators' versions) do not remove each other's image at every run.
    public static let buildsKept = 3

    /// Each build of sprocketctl imports its own image; all but the ``buildsKept`` newest are removed so they do not
    /// pile up (one still used by a running job stays: Docker refuses, and the next import tries again).
    private func removeOtherBuilds(keeping reference: String, on client: DockerClient) async {
        let images = ((try? await client.listImages(reference: repository)) ?? []).sorted { ($0.created ?? 0) > ($1.created ?? 0) }
        var kept = 0
        for image in images {
            let tags = (image.repoTags ?? []).filter { $0.hasPrefix("\(repository):") }
            if tags.contains(reference) || kept < Self.buildsKept - 1 {
                if !tags.contains(reference) { kept += 1 }
                continue
            }
            for tag in tags { try? await client.removeImage(tag) }
        }
    }

    static let publishHint = "publish an image with sprocketctl at \(executablePath) and name it in `postgres.reach.image`"

    private func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SprocketError(.engine, "cannot read \(path) to build the runner image", subject: path, hint: Self.publishHint)
        }
        return [UInt8](data)
    }

    /// The absolute paths of the libraries the dynamic loader maps for the executable (itself included), from
    /// `ldd`; none for a static executable.
    func sharedLibraries() throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ldd")
        process.arguments = [executable]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        do {
            try process.run()
        } catch {
            throw SprocketError(.engine, "cannot run ldd to find the libraries of \(executable): \(error)", subject: executable, hint: Self.publishHint)
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        if process.terminationStatus != 0 {
            // ldd exits non-zero for a static executable, which needs no library.
            return []
        }
        if let missing = text.split(whereSeparator: \.isNewline).first(where: { $0.contains("=> not found") }) {
            throw SprocketError(
                .engine, "\(executable) needs a library this machine does not have: \(missing.trimmingCharacters(in: .whitespaces))",
                subject: executable, hint: Self.publishHint)
        }
        return Self.libraryPaths(fromLDD: text)
    }

    /// Parses `ldd` output: `libz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x…)` and `/lib64/ld-linux-x86-64.so.2 (0x…)`.
    static func libraryPaths(fromLDD text: String) -> [String] {
        var paths: [String] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let fields = line.split(whereSeparator: \.isWhitespace)
            let candidate = fields.firstIndex(of: "=>").flatMap { fields.indices.contains($0 + 1) ? fields[$0 + 1] : nil } ?? fields.first
            guard let candidate, candidate.hasPrefix("/") else { continue }
            paths.append(String(candidate))
        }
        return Array(Set(paths)).sorted()
    }
}
