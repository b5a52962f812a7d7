import Foundation
import S3
import SprocketCore

/// Where a command keeps each stack environment's state: the local folder (which always holds the sealed store and
/// the local key's work), and the backend of history, state and lock that `--state` names (a local root or S3).
public struct StateLocations: Sendable {
    /// `--state` or `SPROCKET_STATE`: an `s3://` URL or a local root folder; nil means `.sprocket`.
    public var stateURL: String?
    /// `--state-dir` or `SPROCKET_STATE_DIR`: the exact local folder of the stack environment.
    public var stateDirectoryOverride: String?
    /// The process environment, for the S3 state's credentials (`AWS_*`).
    public var environment: [String: String]

    public init(stateURL: String?, stateDirectoryOverride: String?, environment: [String: String]) {
        self.stateURL = stateURL
        self.stateDirectoryOverride = stateDirectoryOverride
        self.environment = environment
    }

    /// The local state folder of the stack environment (it always holds the sealed secret store).
    public func store(for identity: StackIdentity) -> LocalStateStore {
        LocalStateStore(
            directory: stateDirectoryOverride ?? LocalStateStore.directory(root: localStateRoot, identity: identity),
            identity: identity)
    }

    /// The root of local state: `--state` when it names a folder, else `.sprocket`.
    public var localStateRoot: String {
        guard let stateURL, !S3StateLocation.isS3(stateURL) else { return ".sprocket" }
        return stateURL.hasPrefix("file://") ? String(stateURL.dropFirst("file://".count)) : stateURL
    }

    /// The backend of history, state and lock that `--state` names.
    public func stateStore(for identity: StackIdentity) throws -> any StateStore {
        try remoteStateFactory?(identity) ?? store(for: identity)
    }

    /// Builds the S3 state store when `--state` is an `s3://` URL; nil for local state.
    public var remoteStateFactory: (@Sendable (StackIdentity) throws -> any StateStore)? {
        guard let stateURL, S3StateLocation.isS3(stateURL) else { return nil }
        let environment = environment
        return { identity in try Self.stateStore(url: stateURL, identity: identity, environment: environment) }
    }

    /// The store a state URL names (`state migrate --to`): `s3://…` with credentials from `AWS_*`, else a local root.
    public static func stateStore(url: String, identity: StackIdentity, environment: [String: String]) throws -> any StateStore {
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
