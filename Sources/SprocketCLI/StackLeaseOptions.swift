import ArgumentParser
import Foundation
import Logging
import Orchestration
import SprocketCore
import Vault

/// For `vault` commands that change a stack's Vault outside `up` (`vault init`): with `-f`, the command holds the
/// stack environment's lease, the one `up` holds, for its whole length, and every Vault write it sends is checked
/// against it first; the stack's `vault.address` and `vault.key_file` become the defaults of `--addr` and
/// `--key-file`. Without `-f` the command acts on any Vault and takes no lease.
struct StackLeaseOptions: ParsableArguments {
    @Option(name: [.customShort("f"), .customLong("file")], help: "Hold the lease of this stack's environment (as `up` does) and use its Vault's address and key file.")
    var file: String?

    @Option(name: .customLong("env"), help: "With -f: the environment (default: the spec's default).")
    var environment: String?

    @Option(name: .customLong("state"), help: "With -f: where the stack's state and lock live (default: SPROCKET_STATE, else .sprocket).")
    var state: String?

    /// The stack `-f` names, loaded; nil without `-f`. A spec that does not load is reported and ends the command
    /// (exit 3) before anything is sent to Vault.
    func stack(processEnvironment: [String: String]) throws -> StackSpec? {
        guard let file else { return nil }
        do {
            return try SpecLoader(processEnvironment: processEnvironment).load(path: file, environment: environment)
        } catch {
            Console().err("error: \(error)")
            throw ExitCode(ExitStatus.invalidSpec)
        }
    }

    /// `options` with the stack's Vault address and key file as defaults.
    func defaults(for options: VaultOptions, stack: StackSpec?) -> VaultOptions {
        var options = options
        options.address = options.address ?? stack?.vault?.address
        options.keyFile = options.keyFile ?? stack?.vault?.keyFile
        return options
    }

    /// Runs `body` holding `stack`'s lease, with every Vault write counted by `calls` fenced by it; just runs it
    /// without a stack.
    func holding<T>(
        _ stack: StackSpec?, command: String, calls: VaultCallCounter, processEnvironment: [String: String], warn: @escaping @Sendable (String) -> Void,
        _ body: () async throws -> T
    ) async throws -> T {
        guard let stack else { return try await body() }
        let identity = StackIdentity(stack: stack.name, environment: stack.environment)
        let run = RunEnvironment(
            environment: processEnvironment, logger: Logger(label: "sprocketctl"),
            state: StateLocations(
                stateURL: state ?? processEnvironment["SPROCKET_STATE"], stateDirectoryOverride: processEnvironment["SPROCKET_STATE_DIR"],
                environment: processEnvironment),
            warn: warn)
        return try await run.withRunLease(identity, command: command) { lease in
            calls.fenceWrites { operation in try await lease.check(before: operation) }
            return try await body()
        }
    }
}
