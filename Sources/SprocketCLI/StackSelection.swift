import Orchestration
import SprocketCore

extension CommandRuntime {
    /// The stack environment to act on: from `--stack` and `--env` when given (so `down` works after the spec is
    /// gone), else from the spec.
    func identity(stackOverride: String?) throws -> StackIdentity {
        if let stackOverride {
            return StackIdentity(stack: stackOverride, environment: options.environment ?? "default")
        }
        let stack = try loadSpec()
        return StackIdentity(stack: stack.name, environment: stack.environment)
    }

    /// The local state folder of the stack environment (it always holds the sealed secret store).
    func store(for identity: StackIdentity) -> LocalStateStore {
        runEnvironment.state.store(for: identity)
    }

    /// The backend of history, state and lock that `--state` names.
    func stateStore(for identity: StackIdentity) throws -> any StateStore {
        try runEnvironment.state.stateStore(for: identity)
    }
}

extension CommandRuntime {
    /// The Let's Encrypt ledger of `stack`'s environment, in its local state folder.
    func acmeLedgerPath(_ stack: StackSpec) -> String {
        AcmeLedgerUpdates.ledgerPath(stateFolder: store(for: StackIdentity(stack: stack.name, environment: stack.environment)).directory)
    }
}
