import Foundation
import LetsEncrypt
import SprocketCore
import SprocketTestSupport
import Testing

@testable import Orchestration
@testable import SprocketCLI

@Suite("DoctorRoutingChecks: HTTP redirect, ACME storage, certificate expiry and rate limits")
struct DoctorRoutingChecksTests {
    static let routing = "stack: doc\nrouting: {domain: example.org, subdomain: main, network: edge, access: [public]}\n"

    /// Traefik configured by `traefik` (a command or the generated configuration), `volume` at /data or not, and one ACME route.
    static func stack(traefik: String, volume: Bool = true) throws -> StackSpec {
        try DoctorSpecFixture.load(stack: Self.routing, app: """
            networks: {edge: {driver: overlay}}
            volumes: {traefik-data: {}}
            configs:
              traefik-static: {generated: traefik-static}
            services:
              traefik:
                image: traefik:v3.6
                networks: [edge]
            \(traefik)
            \(volume ? "    volumes: [\"traefik-data:/data\"]" : "")
              api:
                image: example/api:1
                networks: [edge]
                routes: [{subdomain: api, port: 3000}]
            """)
    }

    @Test("#18: Traefik configured by a hand-written file without a redirect fails; with one, or with the generated configuration, passes",
          arguments: [("entryPoints: {web: {address: ':80'}}", true), ("entryPoints: {web: {http: {redirections: {entryPoint: {to: websecure}}}}}", false)])
    func redirect(handWritten: String, fails: Bool) throws {
        let stack = try DoctorSpecFixture.load(stack: Self.routing, app: """
            networks: {edge: {driver: overlay}}
            configs:
              traefik-hand: {content: "\(handWritten)"}
            services:
              traefik:
                image: traefik:v3.6
                networks: [edge]
                configs: [{source: traefik-hand, target: /etc/traefik/traefik.yml}]
              api:
                image: example/api:1
                networks: [edge]
                routes: [{subdomain: api, port: 3000}]
            """)
        let result = DoctorRoutingChecks(stack: stack, ledger: nil).httpRedirect()
        #expect(result.status == (fails ? .fail : .ok), "\(result)")
        if fails { #expect(result.message.hasPrefix("traefik configure") && result.details.first?.hasPrefix("api route 1") == true, "\(result)") }
        let generated = try Self.stack(traefik: "    configs: [{source: traefik-static, target: /etc/traefik/traefik.yml}]")
        #expect(DoctorRoutingChecks(stack: generated, ledger: nil).httpRedirect().status == .ok)
    }

    @Test("#18: the ACME store on the container's own disk warns; on a volume passes")
    func storage() throws {
        let generated = "    configs: [{source: traefik-static, target: /etc/traefik/traefik.yml}]"
        #expect(DoctorRoutingChecks(stack: try Self.stack(traefik: generated), ledger: nil).acmeStorage().status == .ok)
        let lost = DoctorRoutingChecks(stack: try Self.stack(traefik: generated, volume: false), ledger: nil).acmeStorage()
        #expect(lost.status == .warn && lost.message.contains("/data/acme.json"))
    }

    static func ledger(_ body: (inout CertificateLedger) throws -> Void, check: (CertificateLedger) throws -> Void) throws {
        let folder = try TemporaryDirectory(prefix: "doctor-ledger")
        defer { folder.remove() }
        var ledger = try CertificateLedger(path: "\(folder.path)/acme-ledger.json")
        try body(&ledger)
        try check(ledger)
    }

    @Test("#18: a certificate recorded 100 days ago has expired (fail), 80 days ago expires soon (warn), 10 days ago is fine", arguments: [
        (100.0, DoctorCheckResult.Status.fail), (80.0, .warn), (10.0, .ok),
    ])
    func expiry(daysAgo: Double, status: DoctorCheckResult.Status) throws {
        let stack = try Self.stack(traefik: "    configs: [{source: traefik-static, target: /etc/traefik/traefik.yml}]")
        let now = Date()
        try Self.ledger({ try $0.recordIssued(names: ["api.example.org"], environment: .production, date: now.addingTimeInterval(-daysAgo * 86_400)) }) { ledger in
            let result = DoctorRoutingChecks(stack: stack, ledger: ledger, now: now).certificateExpiry()
            #expect(result.status == status, "\(result)")
            if status != .ok { #expect(result.details.first?.hasPrefix("api.example.org: issued") == true) }
        }
    }

    @Test("#18: five certificates for the same names this week reach Let's Encrypt's limit (fail); a fresh ledger says staging comes first")
    func rateLimits() throws {
        let stack = try Self.stack(traefik: "    configs: [{source: traefik-static, target: /etc/traefik/traefik.yml}]")
        try Self.ledger({ ledger in
            for day in 1...5 { try ledger.recordIssued(names: ["api.example.org"], environment: .production, date: Date().addingTimeInterval(-Double(day) * 3_600)) }
        }) { ledger in
            let result = DoctorRoutingChecks(stack: stack, ledger: ledger).acmeRateLimits()
            #expect(result.status == .fail, "\(result)")
            #expect(!result.details.isEmpty)
        }
        try Self.ledger({ _ in }) { ledger in
            let result = DoctorRoutingChecks(stack: stack, ledger: ledger).acmeRateLimits()
            #expect(result.status == .ok && result.message.contains("1 hosts never had a certificate"), "\(result)")
        }
    }
}

@Suite("DoctorOrphanChecks: services the spec no longer declares, routers defined twice")
struct DoctorOrphanChecksTests {
    static func observed(_ name: String, routers: [String]) -> ObservedService {
        var definition = ServiceDefinition(image: "example/\(name):1")
        for router in routers { definition.serviceLabels["traefik.http.routers.\(router).rule"] = "Host(`\(router).example.org`)" }
        return ObservedService(id: name, dockerName: "doc-default_\(name)", layer: "app", name: name, specHash: nil, version: 1, definition: definition)
    }

    @Test("#19, #20: an orphan and a router defined by two services fail, naming them; a matching cluster passes")
    func orphans() throws {
        let stack = try DoctorSpecFixture.load(app: DoctorSecretChecksTests.twoServices)
        let clean = DoctorOrphanChecks(stack: stack, services: [Self.observed("api", routers: ["web"]), Self.observed("worker", routers: [])]).all()
        #expect(clean.allSatisfy { $0.status == .ok }, "\(clean)")

        let stale = DoctorOrphanChecks(stack: stack, services: [Self.observed("api", routers: ["web"]), Self.observed("old-api", routers: ["web"])])
        let orphans = stale.orphans()
        #expect(orphans.status == .fail && orphans.details == ["doc-default_old-api (layer app, service old-api): routers http web"])
        let routers = stale.duplicateRouters()
        #expect(routers.status == .fail && routers.details == ["http web: doc-default_api and doc-default_old-api"])
    }
}
