import Foundation
import SprocketCore

/// A real Traefik (``TraefikSwarm``, the static configuration sprocketctl generates for `stack`) whose ACME
/// resolver's `caServer` is a real pebble (``PebbleSwarm``) on Traefik's network, and which trusts pebble's HTTPS
/// certificate: everything a test of the Let's Encrypt flow needs, started in order and stopped together.
public struct PebbleTestbed: Sendable {
    public let traefik: TraefikSwarm
    public let pebble: PebbleSwarm

    /// Starts Traefik for `stack` (its `routing.acme.directoryOverride` set to pebble), then pebble answering A
    /// queries with Traefik's task. Fails (never skips) when pebble, its image or Traefik's image is missing.
    public static func start(stack: StackSpec, files: [(target: String, content: String)] = []) async throws -> PebbleTestbed {
        try await PebbleSwarm.requireImage()
        let certificate = try await PebbleCertificate.make()
        var stack = stack
        stack.routing.acme.directoryOverride = PebbleSwarm.directoryURL
        let traefik = try await TraefikSwarm.start(
            stack: stack, files: files + [(PebbleSwarm.caFileInTraefik, certificate.certificatePEM)],
            environment: PebbleSwarm.traefikEnvironment)
        do {
            let pebble = try await PebbleSwarm.start(network: traefik.network, prefix: stack.name, certificate: certificate)
            return PebbleTestbed(traefik: traefik, pebble: pebble)
        } catch {
            await traefik.stop()
            throw error
        }
    }

    /// Removes pebble's services, then Traefik's and the network.
    public func stop() async {
        await pebble.stop()
        await traefik.stop()
    }
}
