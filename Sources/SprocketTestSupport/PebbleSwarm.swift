import DockerEngine
import Foundation
import Logging

/// Let's Encrypt's test CA as two Swarm services on a test network (a real ``TraefikSwarm``'s): `pebble` (the ACME
/// server, alias `pebble`) and `pebble-challtestsrv` (alias `challtestsrv`), the DNS server pebble's validation
/// authority asks (`pebble -dnsserver challtestsrv:8053`).
///
/// challtestsrv answers every A query with the address of the network alias `answer` (Traefik's task: the service
/// runs in DNS round-robin mode, so the alias resolves to the task, and a new task's address is followed), so pebble validates the test hosts against
/// Traefik's entry points: pebble's `httpPort` is 80 and its `tlsPort` 443, Traefik's `web` and `websecure`.
/// Validation stays real (no `PEBBLE_VA_ALWAYS_VALID`); `PEBBLE_VA_NOSLEEP` only drops pebble's random delays.
///
/// ``start(network:prefix:certificate:answer:timeout:)`` throws (never skips) when pebble or its image is missing;
/// ``stop()`` removes the services, configs and secrets it created (all labelled `io.sprocket.test`).
public final class PebbleSwarm: Sendable {
    /// Traefik's `caServer` for pebble: its alias on the network, the port of its ACME listener.
    public static let directoryURL = "https://\(pebbleAlias):14000/dir"
    /// Where Traefik's container gets pebble's certificate, and the variable that makes lego trust it.
    public static let caFileInTraefik = "/etc/sprocket-test/pebble-ca.pem"
    public static var traefikEnvironment: [String] { ["LEGO_CA_CERTIFICATES=\(caFileInTraefik)"] }
    public static let pebbleAlias = "pebble"
    public static let dnsAlias = "challtestsrv"
    /// The image tag scripts/build-images gives Debian bookworm's pebble.
    public static let defaultImage = "sprocket-local/pebble:2.4.0"

    public let network: String
    /// This pebble's alias on the network (``pebbleAlias`` unless a second pebble runs beside the first) and its
    /// challtestsrv's.
    public let alias: String
    public let dnsAlias: String
    /// Traefik's `caServer` for this pebble.
    public var directory: String { "https://\(alias):14000/dir" }
    public let pebbleService: String
    public let dnsService: String
    public let certificate: PebbleCertificate
    public let image: String
    public let testLabel: String
    let client: DockerClient

    private init(network: String, prefix: String, alias: String, certificate: PebbleCertificate, image: String, client: DockerClient) {
        self.network = network
        self.alias = alias
        self.dnsAlias = alias == Self.pebbleAlias ? Self.dnsAlias : "\(alias)-\(Self.dnsAlias)"
        self.pebbleService = "\(prefix)-\(alias)"
        self.dnsService = "\(prefix)-\(alias)-challtestsrv"
        self.certificate = certificate
        self.image = image
        self.testLabel = "\(alias)-\(prefix)"
        self.client = client
    }

    /// `SPROCKET_TEST_PEBBLE_IMAGE`, else the default tag; either way pebble itself must be installed
    /// (`SPROCKET_TEST_PEBBLE`, set by scripts/test), so a run without it fails instead of testing nothing.
    public static func image(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        guard let binary = environment["SPROCKET_TEST_PEBBLE"], FileManager.default.isExecutableFile(atPath: binary) else {
            throw PebbleSwarmError.noPebble
        }
        let image = environment["SPROCKET_TEST_PEBBLE_IMAGE"] ?? ""
        return image.isEmpty ? defaultImage : image
    }

    /// Fails before anything is created when pebble is not installed or its image is not on this daemon.
    public static func requireImage() async throws {
        let client = makeClient()
        do {
            _ = try await checkedImage(client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try? await client.shutdown()
    }

    private static func checkedImage(_ client: DockerClient) async throws -> String {
        let image = try image()
        guard try await client.imageExists(image) else { throw PebbleSwarmError.imageMissing(image) }
        return image
    }

    private static func makeClient() -> DockerClient {
        var logger = Logger(label: "pebble-swarm")
        logger.logLevel = .warning
        return DockerClient(endpoint: .unixSocket(path: DockerEndpoint.defaultSocketPath), logger: logger)
    }

    /// Starts challtestsrv, then pebble, on `network`, and waits until both serve. A second pebble on the same network
    /// (one standing in for Let's Encrypt's staging CA, one for production) takes another `alias`, which its
    /// `certificate` must name.
    public static func start(
        network: String, prefix: String, certificate: PebbleCertificate, answer: String = "traefik", alias: String = pebbleAlias,
        timeout: Duration = .seconds(60)
    ) async throws -> PebbleSwarm {
        let client = makeClient()
        let image: String
        do {
            image = try await checkedImage(client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        let pebble = PebbleSwarm(network: network, prefix: prefix, alias: alias, certificate: certificate, image: image, client: client)
        do {
            try await pebble.createDNS(answer: answer)
            try await pebble.createPebble()
            try await pebble.waitForLog(pebble.dnsService, "Starting management server", timeout: timeout)
            try await pebble.waitForLog(pebble.pebbleService, "ACME directory available", timeout: timeout)
        } catch {
            await pebble.stop()
            throw error
        }
        return pebble
    }

    var labels: [String: String] { [TraefikSwarm.sweepLabel: testLabel] }

    /// challtestsrv behind a shell that looks the `answer` alias up first (busybox nslookup against Docker's DNS):
    /// the task's address is only known once it runs. AAAA queries get no answer, so pebble validates over IPv4.
    private func createDNS(answer: String) async throws {
        // A new Traefik task (its static configuration changed, e.g. staging to production) has a new address: the
        // shell looks the alias up every second and moves challtestsrv's default answer (`/set-default-ipv4`).
        let script = """
            lookup() { nslookup "$ANSWER_ALIAS" 2>/dev/null | awk '/^Address: / { a = $2 } END { print a }'; }
            ip=$(lookup)
            if [ -z "$ip" ]; then echo "challtestsrv: $ANSWER_ALIAS does not resolve on this network" >&2; exit 1; fi
            echo "challtestsrv: answering A queries with $ip ($ANSWER_ALIAS)"
            pebble-challtestsrv -defaultIPv4 "$ip" -defaultIPv6 "" -http01 "" -https01 "" -tlsalpn01 "" -dns01 :8053 -management :8055 &
            server=$!
            while kill -0 "$server" 2>/dev/null; do
              sleep 1
              now=$(lookup)
              if [ -n "$now" ] && [ "$now" != "$ip" ] \
                && wget -q -O /dev/null --post-data "{\"ip\":\"$now\"}" http://127.0.0.1:8055/set-default-ipv4; then
                ip=$now
                echo "challtestsrv: now answering A queries with $ip ($ANSWER_ALIAS)"
              fi
            done
            wait "$server"
            """
        var container = ContainerSpec(image: image, labels: labels, command: ["sh", "-c", script], env: ["ANSWER_ALIAS=\(answer)"])
        container.stopGracePeriod = 1_000_000_000
        _ = try await client.createService(service(dnsService, alias: dnsAlias, container: container))
    }

    private func createPebble() async throws {
        let configuration = """
            {"pebble": {"listenAddress": "0.0.0.0:14000", "managementListenAddress": "0.0.0.0:15000",
              "certificate": "/etc/pebble/cert.pem", "privateKey": "/run/secrets/pebble-key.pem",
              "httpPort": 80, "tlsPort": 443, "ocspResponderURL": "", "externalAccountBindingRequired": false}}
            """
        let suffix = UInt32.random(in: .min ... .max)
        var configs: [ContainerSpec.ConfigReference] = []
        for (target, content) in [("/etc/pebble/pebble-config.json", configuration), ("/etc/pebble/cert.pem", certificate.certificatePEM)] {
            let name = "\(pebbleService)-\(URL(fileURLWithPath: target).lastPathComponent)-\(suffix)"
            let id = try await client.createConfig(SwarmConfigSpec(name: name, labels: labels, content: Array(content.utf8)))
            configs.append(ContainerSpec.ConfigReference(
                file: ContainerSpec.FileTarget(name: target, uid: "0", gid: "0", mode: 0o444), configID: id, configName: name))
        }
        let keyName = "\(pebbleService)-key-\(suffix)"
        let keyID = try await client.createSecret(SwarmSecretSpec(name: keyName, labels: labels, value: Array(certificate.privateKeyPEM.utf8)))
        var container = ContainerSpec(
            image: image, labels: labels,
            command: ["/usr/bin/pebble", "-config", "/etc/pebble/pebble-config.json", "-dnsserver", "\(dnsAlias):8053"],
            // No random validation delays; no rejected nonces (lego retries them, but a test should not depend on it).
            env: ["PEBBLE_VA_NOSLEEP=1", "PEBBLE_WFE_NONCEREJECT=0"],
            secrets: [ContainerSpec.SecretReference(
                file: ContainerSpec.FileTarget(name: "pebble-key.pem", uid: "0", gid: "0", mode: 0o400), secretID: keyID, secretName: keyName)],
            configs: configs)
        container.stopGracePeriod = 1_000_000_000
        _ = try await client.createService(service(pebbleService, alias: alias, container: container))
    }

    private func service(_ name: String, alias: String, container: ContainerSpec) -> ServiceSpec {
        ServiceSpec(
            name: name, labels: labels,
            taskTemplate: TaskSpec(
                containerSpec: container, restartPolicy: TaskSpec.RestartPolicy(condition: "none"),
                networks: [TaskSpec.NetworkAttachment(target: network, aliases: [alias])]),
            mode: ServiceSpec.Mode(replicated: .init(replicas: 1)),
            endpointSpec: ServiceSpec.EndpointSpec(mode: "dnsrr"))
    }

    /// Waits for `marker` in a service's log; a task that ended fails at once with its error and log.
    private func waitForLog(_ service: String, _ marker: String, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await logLines(of: service).contains(where: { $0.contains(marker) }) { return }
            let tasks = try await client.listTasks(filters: DockerFilters(["service": [service]]))
            if let ended = tasks.first(where: { ["failed", "rejected", "complete", "shutdown"].contains($0.status?.state ?? "") }) {
                throw PebbleSwarmError.didNotStart(
                    "\(service)'s task is \(ended.status?.state ?? "?"): \(ended.status?.err ?? "no error given")",
                    logs: await logLines(of: service))
            }
            try await Task.sleep(for: .milliseconds(300))
        }
        throw PebbleSwarmError.didNotStart("\(service) did not log \"\(marker)\" within \(timeout)", logs: await logLines(of: service))
    }

    /// A service's log (pebble's or challtestsrv's), oldest first.
    public func logLines(of service: String) async -> [String] {
        ((try? await client.serviceLogs(service, timeout: .seconds(20))) ?? []).map(\.text)
    }

    /// Removes the services, configs and secrets created here (best effort), then closes the client. The network
    /// is Traefik's: ``TraefikSwarm/stop()`` removes it.
    public func stop() async {
        let filters = DockerFilters.label(TraefikSwarm.sweepLabel, testLabel)
        for service in (try? await client.listServices(filters: filters)) ?? [] { try? await client.removeService(service.id) }
        for attempt in 0..<60 {
            let configs = (try? await client.listConfigs(filters: filters)) ?? []
            for config in configs { try? await client.removeConfig(config.id) }
            let secrets = (try? await client.listSecrets(filters: filters)) ?? []
            for secret in secrets { try? await client.removeSecret(secret.id) }
            if configs.isEmpty && secrets.isEmpty || attempt == 59 { break }
            try? await Task.sleep(for: .milliseconds(500))
        }
        try? await client.shutdown()
    }
}
