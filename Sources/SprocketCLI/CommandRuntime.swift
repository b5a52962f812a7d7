import ArgumentParser
import DockerEngine
import Foundation
import Logging
import Orchestration
import SecretPipeline
import SprocketCore
import Vault

/// What one command invocation works with: options, the process environment, the console, the engine.
struct CommandRuntime {
    let options: GlobalOptions
    let environment: [String: String]
    let console = Console()
    let logger: Logger
    /// What the libraries that run the command take from it: environment, logger, state locations, key, call counts.
    let runEnvironment: RunEnvironment

    init(options: GlobalOptions) {
        self.options = options
        environment = ProcessInfo.processInfo.environment
        KnownSecretRegistration.registerEnvironment(environment)
        var logger = Logger(label: "sprocketctl")
        logger.logLevel = options.verbose ? .debug : .warning
        self.logger = logger
        let console = console
        runEnvironment = RunEnvironment(
            environment: environment, logger: logger,
            state: StateLocations(
                stateURL: options.state ?? environment["SPROCKET_STATE"],
                stateDirectoryOverride: options.stateDirectory ?? environment["SPROCKET_STATE_DIR"], environment: environment),
            warn: { console.err("warning: \($0)") })
    }

    /// Every Vault call of this command, whichever client sent it (`up`'s summary reports them).
    var vaultCalls: VaultCallCounter { runEnvironment.vaultCalls }

    /// The settings the secret pipeline runs with.
    var secretPipeline: SecretPipelineSettings { runEnvironment.secretPipeline }

    /// Runs a command body and turns its errors into a message and the documented exit code.
    static func run(_ options: GlobalOptions, _ body: (CommandRuntime) async throws -> Void) async throws {
        let runtime = CommandRuntime(options: options)
        do {
            try await body(runtime)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw runtime.report(error)
        }
    }

    func report(_ error: any Error) -> ExitCode {
        let code: Int32
        switch error {
        case let error as SpecError:
            code = ExitStatus.invalidSpec
            if options.json {
                console.json(ErrorOutput(error: "invalid spec", diagnostics: error.diagnostics))
            }
            console.err(error.description)
            return ExitCode(code)
        case let error as SprocketError where error.code == .locked:
            code = ExitStatus.locked
        case let error as SprocketError where error.code == .leaseLost:
            code = ExitStatus.leaseLost
        case let error as SprocketError where error.code == .engineUnreachable:
            code = ExitStatus.engineUnreachable
        case let error as DockerClientError:
            if case .daemonUnreachable = error { code = ExitStatus.engineUnreachable } else { code = ExitStatus.failure }
        default:
            code = ExitStatus.failure
        }
        if options.json { console.json(ErrorOutput(error: String(describing: error), diagnostics: nil)) }
        console.err("error: \(error)")
        return ExitCode(code)
    }

    func loadSpec() throws -> StackSpec {
        var stack = try SpecLoader(processEnvironment: environment).load(path: options.file, environment: options.environment)
        // Warnings (Compose keys Swarm ignores, ...) go to stderr and never change the exit code.
        for warning in stack.warnings { console.err(warning.description) }
        if let lock = try ImageLock.load(from: stack.rootDirectory) {
            let (pinned, unlocked) = lock.apply(to: stack)
            stack = pinned
            if !unlocked.isEmpty {
                console.err("warning: images.lock does not pin \(unlocked.joined(separator: ", ")): run `sprocketctl images lock`")
            }
        }
        if let path = options.standIns ?? environment["SPROCKET_STAND_INS"] {
            let map = try StandInMap.load(path: path)
            stack = map.apply(to: stack)
            let count = stack.layers.flatMap(\.services).filter { $0.deploy.labels[StandInMap.label] != nil }.count
            console.err("note: \(count) services run stand-in images (\(path)); this is not the real stack")
        }
        if RunnerImage.isUsed(in: stack) {
            // The running binary's content names the image, so every command compares the spec with the same reference.
            stack = RunnerImage.resolve(stack, to: try ExecutableImage().reference())
        }
        return stack
    }

    var keyFilePath: String { runEnvironment.keyFilePath }

    /// Builds a deployment (``RunEnvironment/withDeployment(concurrency:events:extraGates:sharingSealedStoreOf:_:)``);
    /// a differing local sealed store kept aside is warned about on stderr.
    func withDeployment(
        concurrency: Int = 8,
        events: @escaping ApplyEventHandler = { _ in },
        extraGates: [any LayerGate] = [],
        sharingSealedStoreOf shared: StackIdentity? = nil,
        _ body: (Deployment, EngineHandle) async throws -> Void
    ) async throws {
        try await runEnvironment.withDeployment(concurrency: concurrency, events: events, extraGates: extraGates, sharingSealedStoreOf: shared, body)
    }

    /// ``RunEnvironment/withSealedStore(of:writes:command:_:)``.
    func withSharedSealedStore<T>(_ identity: StackIdentity, writes: Bool, command: String, _ body: () async throws -> T) async throws -> T {
        try await runEnvironment.withSealedStore(of: identity, writes: writes, command: command, body)
    }
}

struct ErrorOutput: Encodable {
    var error: String
    var diagnostics: [SpecDiagnostic]?
}

extension CommandRuntime {
    /// The Vault key file `up` unseals with: the spec's `vault.key_file`, else as the `vault` commands choose.
    func vaultKeyFile(declared: String?) -> String {
        VaultKeyFileLocation.resolve(explicit: declared, environment: environment)
    }
}
