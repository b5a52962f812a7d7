import S3
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
        LocalStateStore(
            directory: stateDirectoryOverride ?? LocalStateStore.directory(root: localStateRoot, identity: identity),
            identity: identity)
    }

    /// `--state` or `SPROCKET_STATE`: an `s3://` URL or a local root folder; nil means `.sprocket`.
    var stateURL: String? { options.state ?? environment["SPROCKET_STATE"] }

    /// The root of local state: `--state` when it names a folder, else `.sprocket`.
    var localStateRoot: String {
        guard let stateURL, !S3StateLocation.isS3(stateURL) else { return ".sprocket" }
        return stateURL.hasPrefix("file://") ? String(stateURL.dropFirst("file://".count)) : stateURL
    }

    /// The backend of history, state and lock that `--state` names.
    func stateStore(for identity: StackIdentity) throws -> any StateStore {
        try remoteStateFactory?(identity) ?? store(for: identity)
    }

    /// Builds the S3 state store when `--state` is an `s3://` URL; nil for local state.
    var remoteStateFactory: (@Sendable (StackIdentity) throws -> any StateStore)? {
        guard let stateURL, S3StateLocation.isS3(stateURL) else { return nil }
        let environment = environment
        return { identity in try Self.stateStore(url: stateURL, identity: identity, environment: environment) }
    }

    /// The store a state URL names (`state migrate --to`): `s3://…` with credentials from `AWS_*`, else a local root.
    static func stateStore(url: String, identity: StackIdentity, environment: [String: String]) throws -> any StateStore {
        guard S3StateLocation.isS3(url) else {
            let root = url.hasPrefix("file://") ? String(url.dropFirst("file://".count)) : url
            return LocalStateStore(directory: LocalStateStore.directory(root: root, identity: identity), identity: identity)
        }
        let location = try S3StateLocation(url: url, environment: environment)
        let credentials: S3Credentials
        do {
            credentials = try S3Credentials.fromEnvironment(environment)
        } catch let error as S3Error {
            throw SprocketError(.stateIO, "no credentials for the S3 state: \(error.message)", subject: url, hint: error.hint)
        }
        return S3StateStore(location: location, identity: identity, credentials: credentials)
    }
}
