import Foundation
import Testing

/// `SprocketCore` is meant to do no I/O: the file system, locks, processes, the clock and the environment come in
/// through small protocols implemented at the edge (docs/architecture.md, "A pure core"). Not every file is there
/// yet. This ratchet names the files that still do I/O and what they do; it fails when any other file of the core
/// starts doing I/O, and when a listed file stops (so the list only shrinks, and says what is left).
@Suite("SprocketCore I/O ratchet (docs/architecture.md)")
struct CoreIOTests {
    /// Calls that reach outside the process or read its global state.
    static let denied: [(pattern: String, what: String)] = [
        ("FileManager", "file system"), ("FileHandle", "file handles"), ("flock(", "file locks"), ("Process()", "processes"),
        ("ProcessInfo", "process environment"), ("contentsOfFile", "file reads"), ("Data(contentsOf", "file reads"),
        ("getpid()", "process identity"), ("Date()", "the wall clock"), ("fopen(", "file handles"),
        ("static let shared", "a process-wide singleton"), ("= .shared", "a process-wide singleton"),
    ]

    /// The files that still do I/O, and the kinds they do. Move the I/O behind a protocol and delete the entry.
    static let remaining: [String: Set<String>] = [
        "Apply/Deployment.swift": ["file system"],
        "Apply/DeploymentContext.swift": ["a process-wide singleton", "the wall clock"],
        "Node/HostDirectories.swift": ["file system"],
        "Node/NodePreflight.swift": ["file reads", "file system"],
        "Secrets/SealedSecretStore.swift": ["the wall clock"],
        "Secrets/SecretRedactor.swift": ["a process-wide singleton"],
        "Secrets/SecretResolver.swift": ["a process-wide singleton", "file system"],
        "Spec/ImageLock.swift": ["file system"],
        "Spec/Loading/SpecFiles.swift": ["file system"],
        "Spec/Loading/SpecLoader.swift": ["file system"],
        "Spec/StandInMap.swift": ["file system"],
        "State/LocalStateStore.swift": ["file system"],
        "State/RunLease.swift": ["a process-wide singleton"],
        "State/StateLock.swift": ["file locks", "file system", "process environment", "process identity", "the wall clock"],
        "Support/AtomicFile.swift": ["file system", "process identity"],
    ]

    static var coreFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/SprocketCore")
    }

    /// The kinds of I/O each file of the core does, from its code (comments left out).
    static func found() throws -> [String: Set<String>] {
        let root = coreFolder.path
        let files = try #require(FileManager.default.enumerator(atPath: root)).compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
        try #require(files.count > 100, "Sources/SprocketCore was not found at \(root)")
        var result: [String: Set<String>] = [:]
        for file in files {
            let text = try String(contentsOfFile: "\(root)/\(file)", encoding: .utf8)
            let code = text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }.joined(separator: "\n")
            let kinds = Set(denied.filter { code.contains($0.pattern) }.map(\.what))
            if !kinds.isEmpty { result[file] = kinds }
        }
        return result
    }

    @Test("no file of the core does I/O but those listed, and each listed one still does exactly what is listed")
    func ratchet() throws {
        let found = try Self.found()
        for (file, kinds) in found.sorted(by: { $0.key < $1.key }) {
            let allowed = Self.remaining[file] ?? []
            #expect(kinds.isSubset(of: allowed), "Sources/SprocketCore/\(file) does \(kinds.subtracting(allowed).sorted()): pass it in through a protocol instead")
        }
        for (file, kinds) in Self.remaining.sorted(by: { $0.key < $1.key }) {
            #expect(found[file] == kinds, "Sources/SprocketCore/\(file) now does \((found[file] ?? []).sorted()), listed as \(kinds.sorted()): shrink the list")
        }
    }
}
