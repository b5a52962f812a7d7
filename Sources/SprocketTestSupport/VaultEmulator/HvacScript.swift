import Foundation
import Subprocess
import SystemPackage

/// Runs a Python script that uses hvac (PyPI `hvac`, the common Python client for Vault), to check the Vault
/// emulator against a client it was not written with.
///
/// The interpreter is `SPROCKET_TEST_PYTHON` when set (e.g. a virtualenv with hvac), else `python3`. A missing
/// interpreter or a missing hvac is an error that says how to install it, never a skip.
public enum HvacScript {
    /// The finished run.
    public struct Outcome: Sendable {
        public var succeeded: Bool
        /// stdout and stderr together.
        public var output: String
    }

    /// The interpreter the tests use.
    public static var python: String {
        ProcessInfo.processInfo.environment["SPROCKET_TEST_PYTHON"].flatMap { $0.isEmpty ? nil : $0 } ?? "python3"
    }

    /// Runs `script` with `environment` added to the test process's environment.
    ///
    /// - Throws: ``HvacUnavailable`` when python3 cannot run or cannot `import hvac`.
    public static func run(_ script: String, environment: [String: String]) async throws -> Outcome {
        let probe = try await execute(["-c", "import hvac"], environment: [:])
        guard probe.succeeded else {
            throw HvacUnavailable(
                description: "\(python) cannot import hvac (\(lastLine(of: probe.output))). "
                    + "Install it: \(python) -m pip install hvac (or set SPROCKET_TEST_PYTHON to an interpreter that has it)")
        }
        let folder = try TemporaryDirectory(prefix: "hvac-script")
        defer { folder.remove() }
        try folder.write("check.py", script)
        return try await execute(["\(folder.path)/check.py"], environment: environment)
    }

    private static func lastLine(of text: String) -> String {
        text.split(separator: "\n").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "no output"
    }

    private static func execute(_ arguments: [String], environment: [String: String]) async throws -> Outcome {
        var updates: [Environment.Key: String] = [:]
        for (name, value) in environment { updates[Environment.Key(stringLiteral: name)] = value }
        do {
            let executable: Executable = python.contains("/") ? .path(FilePath(python)) : .name(python)
            let result = try await Subprocess.run(
                executable, arguments: Arguments(arguments), environment: .inherit.updating(updates),
                output: .string(limit: 1 << 20), error: .combinedWithOutput)
            return Outcome(succeeded: result.terminationStatus.isSuccess, output: result.standardOutput)
        } catch {
            throw HvacUnavailable(description: "cannot run \(python): \(error). Install python3 and hvac (pip install hvac)")
        }
    }
}

/// python3 or hvac is missing; the text says what to install.
public struct HvacUnavailable: Error, CustomStringConvertible {
    public let description: String
}
