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

    func store(for identity: StackIdentity) -> LocalStateStore {
        LocalStateStore(
            directory: stateDirectoryOverride ?? LocalStateStore.directory(root: ".sprocket", identity: identity),
            identity: identity)
    }
}
