import Foundation
@testable import SprocketCore

/// A stack written into a fresh temporary folder, for tests that need a small spec of their own.
struct TemporarySpec {
    let directory: String

    /// Writes `files` (relative path -> text) into a new temporary folder.
    init(_ files: [String: String]) throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("sprocket-spec-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        for (path, text) in files {
            try Self.write(Array(text.utf8), to: base + "/" + path)
        }
        directory = base
    }

    /// Writes raw bytes (for encoding tests).
    func write(_ bytes: [UInt8], to path: String) throws {
        try Self.write(bytes, to: directory + "/" + path)
    }

    private static func write(_ bytes: [UInt8], to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw CocoaError(.fileWriteUnknown)
        }
    }

    /// Loads the spec with the temporary folder as the current directory, so paths in diagnostics are
    /// relative (`stack.yaml`, `edge.yaml`).
    func load(_ path: String? = nil, environment: String? = nil, variables: [String: String] = [:]) throws(SpecError) -> StackSpec {
        try SpecLoader(processEnvironment: variables, currentDirectory: directory).load(path: path, environment: environment)
    }

    /// The diagnostics of a load: the errors when it fails, the warnings when it succeeds.
    func diagnostics(_ path: String? = nil, environment: String? = nil, variables: [String: String] = [:]) -> [SpecDiagnostic] {
        do {
            return try load(path, environment: environment, variables: variables).warnings
        } catch {
            return error.diagnostics
        }
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// The checked-in fixtures of `Fixtures/specs`.
enum SpecFixtures {
    /// The absolute path of `Fixtures/specs/<name>` in the test bundle.
    static func path(_ name: String) throws -> String {
        guard let root = Bundle.module.resourceURL?.appendingPathComponent("Fixtures/specs").path else {
            throw CocoaError(.fileNoSuchFile)
        }
        return root + "/" + name
    }

    static func load(_ name: String, environment: String? = nil, variables: [String: String] = [:]) throws -> StackSpec {
        try SpecLoader(processEnvironment: variables).load(path: path(name), environment: environment)
    }

    /// The errors of a load expected to fail (empty when it succeeds).
    static func errors(_ name: String, environment: String? = nil, variables: [String: String] = [:]) throws -> [SpecDiagnostic] {
        let path = try path(name)
        do {
            _ = try SpecLoader(processEnvironment: variables).load(path: path, environment: environment)
            return []
        } catch {
            return error.diagnostics
        }
    }
}

extension StackSpec {
    func service(_ name: String) -> ServiceSpec? {
        layers.lazy.flatMap(\.services).first { $0.name == name }
    }
}
