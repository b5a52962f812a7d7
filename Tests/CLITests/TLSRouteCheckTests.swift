import Foundation
import LetsEncrypt
import SprocketCore
import SprocketTestSupport
import Testing
import Traefik
@testable import Orchestration
@testable import SprocketCLI

/// The pure parts of the in-swarm HTTPS route check: the job's answer lines, which CA a resolver stands for, the
/// staging resolver of a staging-first run, the CA directories of the spec, and the judgement with Traefik's log.
@Suite("HTTPS routes probed from inside the swarm: answers, resolvers and judgement")
struct TLSRouteCheckTests {
    static let host = "example.org"

    static func result(default isDefault: Bool, issuer: String = "CN=Pebble Intermediate CA 1a2b3c", verifies: Bool = true) throws -> RouteProbeResult {
        var result = try AcmeLedgerUpdatesTests.probe(host, issuer: issuer)
        result.target = RouteProbeTarget(scheme: .https, host: host, address: "traefik")
        result.certificate?.isTraefikDefault = isDefault
        if isDefault { result.certificate?.subject = "CN=TRAEFIK DEFAULT CERT" }
        if !verifies { result.certificate?.verificationFailure = "unable to get local issuer certificate" }
        return result
    }

    @Test("the job's answer: one line per target, read back by index; its own failure line is reported")
    func answerLines() throws {
        let result = try Self.result(default: false)
        let lines = ["noise", try RouteProbeJobAnswer.line(index: 1, result: result), "sprocketctl-route-probe: 0 {not json"]
        let parsed = RouteProbeJobAnswer.parse(lines: lines)
        #expect(parsed.results[1] == result)
        #expect(parsed.results[0] == nil)
        #expect(parsed.failure == nil)
        #expect(RouteProbeJobAnswer.parse(lines: [RouteProbeJobAnswer.failureMarker + "request missing"]).failure == "request missing")
    }

    @Test("staging_directory and production_directory: parsed, used as caServer, and filed by resolver; a staging-first run deploys `<resolver>-staging`")
    func directoriesAndStagingResolver() throws {
        let folder = try TemporaryDirectory(prefix: "tls-route-check")
        defer { folder.remove() }
        var stack = try AcmeLedgerUpdatesTests.stack(folder)
        #expect(stack.routing.acme.caServer == ACMESettings.productionServer)
        stack.routing.acme.stagingDirectory = "https://pebble:14000/dir"
        stack.routing.acme.productionDirectory = "https://pebble-prod:14000/dir"
        #expect(stack.routing.acme.caServer == "https://pebble-prod:14000/dir")
        let staged = AcmeLedgerUpdates.withStaging(stack)
        #expect(staged.routing.acme.resolver == "letsencrypt-staging")
        #expect(staged.routing.acme.caServer == "https://pebble:14000/dir")
        let labels = staged.layers.flatMap(\.services).flatMap { RouteLabelCompiler(stack: staged).compile($0).labels }
        #expect(labels.contains { $0.key.hasSuffix(".tls.certresolver") && $0.value == "letsencrypt-staging" }, "\(labels)")
        let config = String(decoding: staged.layers.first?.configs.first?.content ?? [], as: UTF8.self)
        #expect(config.contains("letsencrypt-staging") && config.contains("https://pebble:14000/dir"), "\(config)")

        #expect(AcmeLedgerUpdates.environment(ofResolver: "letsencrypt", stack: stack) == .production)
        #expect(AcmeLedgerUpdates.environment(ofResolver: "letsencrypt-staging", stack: stack) == .staging)
        #expect(AcmeLedgerUpdates.environment(ofResolver: "letsencrypt-staging", stack: staged) == .staging)
        #expect(AcmeLedgerUpdates.environment(ofResolver: "letsencrypt", stack: staged) == .production)
        #expect(AcmeLedgerUpdates.environment(ofResolver: "other", stack: stack) == nil)
        #expect(AcmeLedgerUpdates.customCAEnvironments([Self.host: "letsencrypt-staging"], stack: stack) == [Self.host: .staging])
        // Let's Encrypt's own directories: its certificates are filed by their issuer instead.
        #expect(AcmeLedgerUpdates.customCAEnvironments([Self.host: "letsencrypt"], stack: try AcmeLedgerUpdatesTests.stack(folder)).isEmpty)

        let original = try String(contentsOfFile: "\(folder.path)/stack.yaml", encoding: .utf8)
        try folder.write("stack.yaml", original.replacingOccurrences(
            of: "acme: {email: ops@example.org}",
            with: "acme: {email: ops@example.org, staging_directory: \"https://ca.internal/staging\", production_directory: \"https://ca.internal/dir\"}"))
        let parsed = try SpecLoader(processEnvironment: [:]).load(path: folder.path, environment: "prod").routing.acme
        #expect(parsed.stagingDirectory == "https://ca.internal/staging" && parsed.productionDirectory == "https://ca.internal/dir")
        try folder.write("stack.yaml", original
            .replacingOccurrences(of: "acme: {email: ops@example.org}", with: "acme: {email: ops@example.org, staging_directory: http://plain/dir}"))
        #expect(throws: (any Error).self) { try SpecLoader(processEnvironment: [:]).load(path: folder.path, environment: "prod") }
    }

    @Test("a failed order is filed by Let's Encrypt's directory, else by the environment whose directory names its CA, else under staging")
    func failureEnvironment() throws {
        let folder = try TemporaryDirectory(prefix: "tls-route-failures")
        defer { folder.remove() }
        var stack = try AcmeLedgerUpdatesTests.stack(folder)
        stack.routing.acme.productionDirectory = "https://pebble-prod:14000/dir"
        func failure(_ resolver: String, _ ca: String) -> ACMEOrderFailure {
            ACMEOrderFailure(date: Date(), domains: [Self.host], resolver: resolver, caServer: ca, router: nil, error: "invalid authorization", problems: [])
        }
        #expect(AcmeLedgerUpdates.environment(of: failure("letsencrypt", "https://pebble-prod:14000/dir"), stack: stack) == .production)
        #expect(AcmeLedgerUpdates.environment(of: failure("letsencrypt", "https://pebble:14000/dir"), stack: stack) == .staging)
        #expect(AcmeLedgerUpdates.environment(of: failure("other", ACMEEnvironment.production.directoryURL), stack: stack) == .production)
        #expect(AcmeLedgerUpdates.environment(of: failure("letsencrypt-staging", ACMEEnvironment.staging.directoryURL), stack: stack) == .staging)
    }

    @Test("a pebble certificate of a custom staging directory is recorded under staging; Traefik's default certificate never is")
    func recordsCustomCA() throws {
        let folder = try TemporaryDirectory(prefix: "tls-route-ledger")
        defer { folder.remove() }
        let ledger = "\(folder.path)/acme-ledger.json"
        #expect(try AcmeLedgerUpdates.record([try Self.result(default: true)], ledgerPath: ledger, customCA: [Self.host: .staging]).isEmpty)
        #expect(try AcmeLedgerUpdates.record([try Self.result(default: false)], ledgerPath: ledger, customCA: [Self.host: .staging]) == [Self.host])
        #expect(try CertificateLedger(path: ledger).lastIssuance(of: Self.host, in: .staging) != nil)
    }

    /// A log source serving fixed lines.
    struct FixedLog: TraefikLogSource {
        var lines: [String]
        func recentLogLines() async throws -> [String] { lines }
    }

    @Test("a router on Traefik's default certificate fails with Traefik's ACME line and the CA's remedy once the log has a failure since the check began; an untrusted certificate passes on the staging resolver unless a CA bundle was given")
    func judgement() async throws {
        let folder = try TemporaryDirectory(prefix: "tls-route-judge")
        defer { folder.remove() }
        let stack = try AcmeLedgerUpdatesTests.stack(folder)
        let router = try #require(RouteLabelCompiler(stack: stack).compiledRouters().first { $0.certResolver != nil })
        let host = try #require(RouteProbePlan(version: .v3, nodeAddress: "traefik").target(for: router)?.host)
        let stamp = ISO8601DateFormatter().string(from: Date().addingTimeInterval(5))
        let line = "\(stamp) ERR Unable to obtain ACME certificate for domains error=\"unable to generate a certificate for the domains "
            + "[\(host)]: acme: error: 403 :: urn:ietf:params:acme:error:connection :: Failed to connect to 127.0.0.1:443 for the "
            + "tls-alpn-01 challenge\" acmeCA=https://pebble:14000/dir domains=[\"\(host)\"] providerName=letsencrypt.acme routerName=\(router.name)"
        var served = try Self.result(default: true)
        served.target = RouteProbeTarget(scheme: .https, host: host, address: "traefik")
        let servedDefault = served
        let check = TLSRouteCheck(
            stack: stack, prober: { targets in targets.map { _ in servedDefault } }, logSource: FixedLog(lines: [line]), budget: .seconds(30),
            pause: .milliseconds(10))
        let started = ContinuousClock.now
        let outcome = try await check.run([router], address: "traefik", resolvers: [:])
        #expect(ContinuousClock.now - started < .seconds(10), "stopped at the logged failure")
        let finding = try #require(outcome.findings[router.name])
        #expect(finding.description.contains("Traefik's default certificate: resolver letsencrypt has not issued one"), "\(finding)")
        #expect(finding.description.contains("Traefik's log: ERR Unable to obtain ACME certificate"), "\(finding)")
        guard case .tlsProbeFailed(_, _, let remedy) = finding else { Issue.record("\(finding)"); return }
        #expect(remedy?.contains("the CA could not connect to \(host)") == true, "\(remedy ?? "nil")")
        #expect(outcome.acmeFailures.count == 1)

        var untrusted = try Self.result(default: false, verifies: false)
        untrusted.target = served.target
        let untrustedResult = untrusted
        let lenient = TLSRouteCheck(
            stack: stack, prober: { targets in targets.map { _ in untrustedResult } }, logSource: FixedLog(lines: []), budget: .seconds(1),
            pause: .milliseconds(10))
        #expect(try await lenient.run([router], address: "traefik", resolvers: [router.name: "letsencrypt-staging"]).findings.isEmpty)
        var strict = lenient
        strict.strictTrust = true
        #expect(try await strict.run([router], address: "traefik", resolvers: [router.name: "letsencrypt-staging"]).findings[router.name] != nil)
        #expect(try await lenient.run([router], address: "traefik", resolvers: [:]).findings[router.name] != nil, "production must verify")

        struct JobFailed: Error, CustomStringConvertible { var description: String { "cannot read the CA bundle /nowhere.pem" } }
        let broken = TLSRouteCheck(stack: stack, prober: { _ in throw JobFailed() }, logSource: FixedLog(lines: []), budget: .seconds(5))
        let failed = try #require(try await broken.run([router], address: "traefik", resolvers: [:]).findings[router.name])
        #expect(failed.description.contains("no response: the in-swarm probe could not run: cannot read the CA bundle /nowhere.pem"), "\(failed)")
    }
}
