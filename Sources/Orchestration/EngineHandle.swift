import DockerEngine
import Logging
import SprocketCore
import Synchronization

/// The engine connection of one command, opened on first use.
public final class EngineHandle: Sendable {
    public let endpoint: DockerEndpoint
    public let logger: Logger
    /// Whether convergence waits follow Docker's event stream (`SPROCKET_CONVERGENCE_WATCH=poll` turns it off).
    public let followsEngineEvents: Bool
    /// Sent with service creates and updates so that every node can pull private images.
    public let registryCredentials: RegistryCredentialStore?
    private let state = Mutex<DockerClusterDriver?>(nil)

    public init(endpoint: DockerEndpoint, logger: Logger, followsEngineEvents: Bool = true, registryCredentials: RegistryCredentialStore? = nil) {
        self.endpoint = endpoint
        self.logger = logger
        self.followsEngineEvents = followsEngineEvents
        self.registryCredentials = registryCredentials
    }

    public func driver() async throws -> DockerClusterDriver {
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

    public var callStats: APICallStats? { state.withLock { $0?.client.callStats() } }

    public func shutdown() async {
        if let driver = state.withLock({ $0 }) { try? await driver.client.shutdown() }
    }
}
