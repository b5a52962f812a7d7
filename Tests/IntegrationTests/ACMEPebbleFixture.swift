import Foundation
import SprocketCore
import SprocketTestSupport
import Testing
import Traefik

/// A stack whose public routes ask the generated ACME resolver for certificates, served by real Traefik whose
/// `caServer` is a real pebble on the test swarm (``PebbleTestbed``). The stack folder stays on disk for the suite,
/// so `sprocketctl` can load the same spec.
struct ACMEPebbleFixture: Sendable {
    let folder: TemporaryDirectory
    let stack: StackSpec
    let testbed: PebbleTestbed

    /// `{{challenge}}` is the resolver's challenge (`tls-alpn` or `http`).
    static let stackFile = """
        stack: {{stack}}
        environments:
          test:
            access: [public]
        routing:
          traefik: v3
          domain: example.test
          network: ingress
          acme:
            resolver: letsencrypt
            email: ops@example.test
            challenge: {{challenge}}
            storage: /tmp/acme.json
        layers: [app]

        """

    /// `issued` gets a certificate; `refused` is made to resolve where nothing answers before it is deployed.
    static let appFile = """
        networks:
          ingress: {external: true, name: {{stack}}-test_ingress}
        services:
          issued:
            image: sprocket-local/web:1
            networks: [ingress]
            routes:
              - name: site
                subdomain: issued
                port: 8080
          refused:
            image: sprocket-local/web:1
            networks: [ingress]
            routes:
              - name: site
                subdomain: refused
                port: 8080

        """

    static func start(challenge: String) async throws -> ACMEPebbleFixture {
        let name = "tp-\(uniqueSuffix())"
        let folder = try TemporaryDirectory(prefix: "sprocket-acme")
        do {
            try folder.write("stack.yaml", stackFile.replacingOccurrences(of: "{{stack}}", with: name)
                .replacingOccurrences(of: "{{challenge}}", with: challenge))
            try folder.write("app.yaml", appFile.replacingOccurrences(of: "{{stack}}", with: name))
            let stack = try SpecLoader(processEnvironment: [:]).load(path: folder.path, environment: "test")
            let testbed = try await PebbleTestbed.start(stack: stack)
            return ACMEPebbleFixture(folder: folder, stack: testbed.traefik.stack, testbed: testbed)
        } catch {
            folder.remove()
            throw error
        }
    }

    func stop() async {
        await testbed.stop()
        folder.remove()
    }

    /// The compiled labels of the spec service `name`.
    func labels(of name: String) throws -> [String: String] {
        let service = try #require(stack.layers.flatMap(\.services).first { $0.name == name }, "no service \(name) in the spec")
        return RouteLabelCompiler(stack: stack).compile(service).labels
    }

    /// The hosts the compiled routers of `name` ask a certificate for (their `Host(…)` rules with a resolver).
    func certificateHosts(of name: String) throws -> [String] {
        let labels = try labels(of: name)
        let routers = labels.keys.filter { $0.hasSuffix(".tls.certresolver") }.map { String($0.dropLast(".tls.certresolver".count)) }
        return routers.compactMap { labels["\($0).rule"] }.flatMap { rule in
            rule.components(separatedBy: "Host(`").dropFirst().compactMap { $0.components(separatedBy: "`").first }
        }
    }

    /// Deploys the spec service `name` with its compiled labels (httpd on 8080).
    func deploy(_ name: String) async throws {
        let web = ProcessInfo.processInfo.environment["SPROCKET_TEST_WEB_IMAGES"]?.split(separator: " ").first.map(String.init)
        try await testbed.traefik.deployBackend(name: name, image: web ?? "sprocket-local/web:1", labels: try labels(of: name))
    }

    /// Deploys `service` and expects Traefik to serve, for its host, a certificate pebble issued: not Traefik's
    /// default, issued by pebble's intermediate, for exactly that name, chaining to pebble's root.
    func expectIssued(_ service: String) async throws {
        let host = try #require(try certificateHosts(of: service).first, "the route compiles no certificate resolver")
        try await deploy(service)
        let certificates = try await testbed.pebble.issuingCertificates()
        let intermediate = try await PebbleCertificate.subject(ofPEM: certificates.intermediatePEM)
        #expect(intermediate.hasPrefix("CN=Pebble Intermediate CA"), "\(intermediate)")
        let roots = try TemporaryDirectory(prefix: "pebble-root")
        defer { roots.remove() }
        try roots.write("root.pem", certificates.rootPEM)

        // Traefik serves its default certificate until the order is done (discovery ~15 s, then the validation).
        let probe = RouteProbe(timeout: .seconds(10), trustRoots: .file("\(roots.path)/root.pem"))
        let target = RouteProbeTarget(scheme: .https, host: host, address: "127.0.0.1", port: testbed.traefik.httpsPort)
        let deadline = ContinuousClock.now + .seconds(120)
        var result = try await probe.probe(target)
        while result.certificate.map({ $0.isTraefikDefault }) ?? true, ContinuousClock.now < deadline {
            try await Task.sleep(for: .seconds(1))
            result = try await probe.probe(target)
        }
        // The probe's verifying handshake and its unverified retry are two connections: the order may complete
        // between them (a default certificate failed verification, then the new one was read). Once the new
        // certificate is served, one more probe judges it alone.
        if result.certificate.map({ !$0.isTraefikDefault }) == true { result = try await probe.probe(target) }
        let certificate = try #require(result.certificate, "no certificate served for \(host): \(result.summaryLine)")
        let log = await testbed.traefik.logLines().filter { $0.contains("ERR") || $0.contains("lego") }.suffix(10)
        #expect(!certificate.isTraefikDefault, "still Traefik's default certificate: \(result.summaryLine)\n\(log.joined(separator: "\n"))")
        #expect(certificate.issuer == intermediate, "issuer \(certificate.issuer), pebble's intermediate \(intermediate)")
        #expect(certificate.dnsNames == [host], "\(certificate.dnsNames)")
        if !certificate.verifies {
            let verdict = await PebbleCertificate.opensslVerdict(host: host, port: testbed.traefik.httpsPort, rootPEM: certificates.rootPEM)
            Issue.record("the served chain does not verify against pebble's root: \(certificate.verificationFailure ?? "")\nopenssl: \(verdict)")
        }
        #expect(result.statusCode == 200, "\(result.summaryLine)")
    }

    /// Waits until Traefik's log has an `Unable to obtain ACME certificate` line for `host`.
    func waitForFailureLog(host: String, timeout: Duration = .seconds(120)) async -> [String] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let lines = await testbed.traefik.logLines().filter { $0.contains("Unable to obtain ACME certificate") && $0.contains(host) }
            if !lines.isEmpty { return lines }
            try? await Task.sleep(for: .seconds(1))
        }
        return []
    }
}

/// One pebble and one Traefik for the whole suite: started before its first test, stopped after its last, whatever
/// happened in between.
struct SharedPebble: SuiteTrait, TestScoping {
    @TaskLocal static var current: ACMEPebbleFixture?
    /// The ACME challenge the suite's resolver uses.
    var challenge: String

    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let fixture = try await ACMEPebbleFixture.start(challenge: challenge)
        do {
            try await Self.$current.withValue(fixture) { try await function() }
        } catch {
            await fixture.stop()
            throw error
        }
        await fixture.stop()
    }

    static func fixture() throws -> ACMEPebbleFixture {
        try #require(current, "the suite needs the .sharedPebble trait")
    }
}

extension Trait where Self == SharedPebble {
    static func sharedPebble(challenge: String) -> Self { SharedPebble(challenge: challenge) }
}
