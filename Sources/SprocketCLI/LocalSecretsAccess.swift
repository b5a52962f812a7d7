import ArgumentParser
import Foundation
import SprocketCore

/// Options shared by `secrets set|get|list|import-env`: which stack environment's store to use.
struct LocalSecretsOptions: ParsableArguments {
    @Option(name: .customLong("stack"), help: "Act on this stack's store without a spec (with --env; default environment `default`).")
    var stack: String?
}

/// Opens the local secrets of the stack environment chosen by `-f`/`--env` or `--stack`/`--env`.
struct LocalSecretsAccess {
    let runtime: CommandRuntime
    let identity: StackIdentity
    /// The spec, when one was used to choose the stack (nil with `--stack`).
    let spec: StackSpec?

    init(runtime: CommandRuntime, stackOverride: String?) throws {
        self.runtime = runtime
        if let stackOverride {
            identity = try runtime.identity(stackOverride: stackOverride)
            spec = nil
        } else {
            let stack = try runtime.loadSpec()
            identity = StackIdentity(stack: stack.name, environment: stack.environment)
            spec = stack
        }
    }

    var sealedPath: String { runtime.store(for: identity).sealedSecretsPath }

    /// The store; creates the key file when `creatingKey` (writing commands), else nil when there is no key yet
    /// (nothing can have been stored without one).
    func open(creatingKey: Bool) throws -> LocalSecretStore? {
        try runtime.secretPipeline.localStore(of: identity, creatingKey: creatingKey)
    }

    /// Where each local secret is used in the spec: `layer/secret` names (and `secrets/<entry>` for manifest entries,
    /// including `doppler:` ones read from the local store) by store name.
    var usages: [String: [String]] {
        var result: [String: [String]] = [:]
        for layer in spec?.layers ?? [] {
            for secret in layer.secrets {
                if case .local(let name) = secret.source { result[name, default: []].append("\(layer.name)/\(secret.name)") }
            }
        }
        for entry in spec?.secretManifest.entries ?? [] {
            if case .local(let name) = entry.source { result[name, default: []].append("secrets/\(entry.name)") }
        }
        return result.mapValues { Array(Set($0)).sorted() }
    }

    /// Checks a name given on the command line.
    static func checkName(_ name: String) throws {
        guard LocalSecretStore.isValidName(name) else {
            throw ValidationError("`\(name)` is not a valid secret name: \(LocalSecretStore.nameHint)")
        }
    }
}
