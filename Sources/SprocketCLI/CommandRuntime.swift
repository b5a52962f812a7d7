import ArgumentParser
import DockerEngine
import Foundation
import Logging
import SprocketCore
import Synchronization
import Vault

/// What one command invocation works with: options, the process environment, the console, the engine.
struct CommandRuntime {
    let options: GlobalOptions
    let environment: [String: String]
    let console = Console()
    let logger: Logger
    /// Every Vault call of this command, whichever client sent it (`up`'s summary reports them).
    let vaultCalls = VaultCallCounter()

    init(options: GlobalOptions) {
        self.options = options
        environment = ProcessInfo.processInfo.environment
        KnownSecretRegistration.registerEnvironment(environment)
        var logger = Logger(label: "sprocketctl")
        logger.logLevel = options.verbose ? .debug : .warning
        self.logger = logger
    }

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

    /// The state root: `SPROCKET_STATE_DIR` names the stack environment's own folder, like `--state-dir`.
    var stateDirectoryOverride: String? { options.stateDirectory ?? environment["SPROCKET_STATE_DIR"] }

    var keyFilePath: String {
        environment["SPROCKET_KEY_FILE"]
            ?? SecretKey.defaultPath(home: environment["HOME"] ?? NSHomeDirectory())
    }

    /// Builds a deployment; the engine client is created only if the command reaches the engine, and is shut
    /// down when the body ends.
    func withDeployment(
        concurrency: Int = 8,
        events: @escaping ApplyEventHandler = { _ in },
        extraGates: [any LayerGate] = [],
        sharingSealedStoreOf shared: StackIdentity? = nil, writesSealedStore: Bool = false,
        _ body: (Deployment, EngineHandle) async throws -> Void
    ) async throws {
        if let shared {
            // With S3 state the sealed store is shared through S3: pulled first, pushed after a run that may write it.
            return try await withSharedSealedStore(shared, writes: writesSealedStore) {
                try await withDeployment(concurrency: concurrency, events: events, extraGates: extraGates, body)
            }
        }
        let endpoint = try DockerEndpoint.fromEnvironment(environment)
        let handle = EngineHandle(
            endpoint: endpoint, logger: logger, followsEngineEvents: environment["SPROCKET_CONVERGENCE_WATCH"] != "poll",
            registryCredentials: RegistryCredentialStore(environment: environment))
        var context = DeploymentContext(
            processEnvironment: environment,
            stateRoot: localStateRoot,
            stateDirectoryOverride: stateDirectoryOverride,
            stateStoreFactory: remoteStateFactory,
            keyFilePath: keyFilePath,
            concurrency: concurrency,
            gate: CompositeLayerGate(
                [CheckGate { CheckRunner(probe: DockerCheckProbe(client: try await handle.driver().client)) }] + extraGates),
            events: events,
            driver: { try await handle.driver() }
        )
        if let operation = environment["SPROCKET_TEST_PAUSE_BEFORE"] { context.pausePoint = TestPausePoint(operation: operation).pause }
        if let operation = environment["SPROCKET_TEST_PAUSE_AT_CHECK"] {
            context.leaseCheckPausePoint = TestPausePoint(operation: operation, variable: "SPROCKET_TEST_PAUSE_AT_CHECK").pause
        }
        do {
            try await body(Deployment(context: context), handle)
        } catch {
            await handle.shutdown()
            throw error
        }
        await handle.shutdown()
    }
}

/// The engine connection of one command, opened on first use.
final class EngineHandle: Sendable {
    let endpoint: DockerEndpoint
    let logger: Logger
    /// Whether convergence waits follow Docker's event stream (`SPROCKET_CONVERGENCE_WATCH=poll` turns it off).
    let followsEngineEvents: Bool
    /// Sent with service creates and updates so that every node can pull private images.
    let registryCredentials: RegistryCredentialStore?
    private let state = Mutex<DockerClusterDriver?>(nil)

    init(endpoint: DockerEndpoint, logger: Logger, followsEngineEvents: Bool = true, registryCredentials: RegistryCredentialStore? = nil) {
        self.endpoint = endpoint
        self.logger = logger
        self.followsEngineEvents = followsEngineEvents
        self.registryCredentials = registryCredentials
    }

    func driver() async throws -> DockerClusterDriver {
        if let existing = state.withLock({ $0 }) { return existing }
        let client = DockerClient(endpoint: endpoint, logger: logger)
        let driver = DockerClusterDriver(
            client: client, followsEngineEvents: followsEngineEvents, registryCredentials: registryCredentials)
        let winner = state.withLock { current -> DockerClusterDriver in
            if let current { return current }
            current = driver
            return driver
        }
        if winner !== driver { try? await client.shutdown() }
        do {
            _ = try await winner.client.negotiateVersion()
        } catch let error as DockerClientError {
            throw SprocketError(
                { if case .daemonUnreachable = error { return .engineUnreachable } else { return .engine } }(),
                "\(error)", subject: endpoint.description)
        }
        return winner
    }

    var callStats: DockerCallStats? { state.withLock { $0?.client.callStats() } }

    func shutdown() async {
        if let driver = state.withLock({ $0 }) { try? await driver.client.shutdown() }
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

/// Where the Vault key file is, for `vault` commands and `up` alike.
enum VaultKeyFileLocation {
    /// `explicit` (`--key-file`, `vault.key_file`), else `SPROCKET_VAULT_KEY_FILE`, else
    /// `~/.config/sprocketctl/vault/keys`; `~` expanded.
    static func resolve(explicit: String?, environment: [String: String]) -> String {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let chosen = explicit ?? environment["SPROCKET_VAULT_KEY_FILE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "\(home)/.config/sprocketctl/vault/keys"
        if chosen == "~" { return home }
        if chosen.hasPrefix("~/") { return home + chosen.dropFirst() }
        return chosen
    }
}
