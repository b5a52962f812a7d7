import Foundation
import SprocketTestSupport
import Testing
@testable import Traefik

@Suite("Traefik route verifier against the API emulator")
struct TraefikRouteVerifierTests {
    private func verify(
        _ table: TraefikAPIEmulator.Table, expected: [ExpectedRouter] = SprocketRoutes.expected,
        prefix: String? = nil, clock: JumpClock = JumpClock()
    ) async throws -> RouteVerificationReport {
        try await withEmulator(table) { _, client in
            try await RouteVerifier(source: client, unexpectedNamePrefix: prefix, clock: clock).verify(expected)
        }
    }

    private func findings(_ report: RouteVerificationReport, _ router: String) -> [RouteFinding]? {
        report.routers.first { $0.router == router }?.findings
    }

    @Test("every Sprocket route as compiled passes on the first read, without waiting")
    func allGood() async throws {
        let clock = JumpClock()
        let report = try await verify(SprocketRoutes.table(), prefix: "sprocket-prod-", clock: clock)
        #expect(report.passed, "\(report.summaryLines)")
        #expect(report.routers.map(\.router) == [
            "sprocket-prod-web@swarm", "sprocket-prod-web-http@swarm", "sprocket-prod-api@swarm",
            "sprocket-prod-dashboard@swarm",
        ])
        #expect(report.polls == 1)
        #expect(clock.sleeps.isEmpty)
        #expect(report.summaryLines.last == "4 of 4 routers ok after 1 read in 0s (budget 60s)")
    }

    @Test("a missing router is reported as missing, and only that router fails")
    func missingRouter() async throws {
        var table = SprocketRoutes.table()
        table.routers.removeAll { $0.name == "sprocket-prod-api@swarm" }
        let report = try await verify(table, clock: JumpClock())
        #expect(!report.passed)
        #expect(findings(report, "sprocket-prod-api@swarm") == [.missing])
        #expect(report.failures.map(\.router) == ["sprocket-prod-api@swarm"])
    }

    @Test("a router in error is reported disabled with Traefik's own error text")
    func routerInError() async throws {
        var table = SprocketRoutes.table()
        table.middlewares.removeAll { $0.name == "sprocket-prod-auth@swarm" }
        let report = try await verify(table, expected: [SprocketRoutes.expected[2]])
        #expect(findings(report, "sprocket-prod-api@swarm") == [
            .disabled(status: "disabled"),
            .inError(messages: ["middleware \"sprocket-prod-auth@swarm\" does not exist"]),
        ])
    }

    @Test("a router on the staging resolver is a TLS resolver mismatch naming both")
    func wrongResolver() async throws {
        let table = SprocketRoutes.table(changing: "sprocket-prod-web@swarm") {
            $0.tls = TraefikAPIEmulator.TLS(certResolver: "letsencrypt-staging")
        }
        let report = try await verify(table)
        #expect(findings(report, "sprocket-prod-web@swarm") == [
            .tlsResolverMismatch(expected: "letsencrypt", seen: "letsencrypt-staging"),
        ])
        #expect(report.failures.count == 1)
    }

    @Test("a router on the staging resolver a staging-first up deployed passes when the expectation also accepts it")
    func acceptedStagingResolver() async throws {
        let table = SprocketRoutes.table(changing: "sprocket-prod-web@swarm") {
            $0.tls = TraefikAPIEmulator.TLS(certResolver: "letsencrypt-staging")
        }
        let expected = SprocketRoutes.expected.map { router -> ExpectedRouter in
            var router = router
            router.alsoAcceptedCertResolvers = ["letsencrypt-staging"]
            return router
        }
        let report = try await verify(table, expected: expected)
        #expect(findings(report, "sprocket-prod-web@swarm") == [])
    }

    @Test("a router without TLS where a resolver is expected shows the resolver as none")
    func missingTLS() async throws {
        let table = SprocketRoutes.table(changing: "sprocket-prod-web@swarm") { $0.tls = nil }
        let report = try await verify(table, expected: [SprocketRoutes.expected[0]])
        #expect(findings(report, "sprocket-prod-web@swarm") == [.tlsResolverMismatch(expected: "letsencrypt", seen: nil)])
        #expect(report.routers[0].summaryLine
            == "FAIL  sprocket-prod-web@swarm: TLS resolver is none, expected letsencrypt")
    }

    @Test("a localhost TLS route without a resolver: TLS must be on; a plain route: off")
    func tlsWithoutResolver() async throws {
        let localhost = ExpectedRouter(
            name: "sprocket-local-web", rule: "Host(`sprocket.localhost`)", entryPoints: ["websecure"], tls: true,
            service: "sprocket-prod-web")
        var table = SprocketRoutes.table()
        table.routers.append(.init(
            name: "sprocket-local-web@swarm", rule: "Host(`sprocket.localhost`)", service: "sprocket-prod-web",
            entryPoints: ["websecure"], tls: TraefikAPIEmulator.TLS()))
        #expect(try await verify(table, expected: [localhost]).passed)
        table.routers[table.routers.count - 1].tls = nil
        let report = try await verify(table, expected: [localhost])
        #expect(findings(report, "sprocket-local-web@swarm") == [.tlsMismatch(expected: true, seen: false)])
        var plain = SprocketRoutes.expected[1]
        plain.tls = false
        #expect(try await verify(SprocketRoutes.table(), expected: [plain]).passed)
    }

    @Test("a service without servers fails every router that uses it")
    func serviceWithoutServers() async throws {
        var table = SprocketRoutes.table()
        table.services[0].servers = []
        let report = try await verify(table)
        #expect(findings(report, "sprocket-prod-web@swarm") == [.noServers(service: "sprocket-prod-web@swarm")])
        #expect(findings(report, "sprocket-prod-web-http@swarm") == [.noServers(service: "sprocket-prod-web@swarm")])
        #expect(report.failures.count == 2)
    }

    @Test("a service whose servers are all DOWN fails; one server UP is enough")
    func serversDown() async throws {
        var table = SprocketRoutes.table()
        table.services[0].serverStatus = ["http://10.0.1.7:3000": "DOWN", "http://10.0.1.8:3000": "DOWN"]
        let down = try await verify(table, expected: [SprocketRoutes.expected[0]])
        #expect(findings(down, "sprocket-prod-web@swarm") == [
            .serversDown(service: "sprocket-prod-web@swarm", servers: ["http://10.0.1.7:3000", "http://10.0.1.8:3000"]),
        ])
        table.services[0].serverStatus["http://10.0.1.8:3000"] = "UP"
        #expect(try await verify(table, expected: [SprocketRoutes.expected[0]]).passed)
    }

    @Test("a router pointing at a service that does not exist: Traefik disables it and both findings show")
    func serviceMissing() async throws {
        var table = SprocketRoutes.table()
        table.services.removeAll { $0.name == "sprocket-prod-api@swarm" }
        let report = try await verify(table, expected: [SprocketRoutes.expected[2]])
        #expect(findings(report, "sprocket-prod-api@swarm") == [
            .disabled(status: "disabled"),
            .inError(messages: ["the service \"sprocket-prod-api@swarm\" does not exist"]),
            .serviceMissing(service: "sprocket-prod-api@swarm"),
        ])
    }

    @Test("middlewares in another order are a mismatch marked order-only")
    func middlewareOrder() async throws {
        let table = SprocketRoutes.table(changing: "sprocket-prod-api@swarm") {
            $0.middlewares = ["sprocket-prod-headers@swarm", "sprocket-prod-auth"]
        }
        let report = try await verify(table, expected: [SprocketRoutes.expected[2]])
        #expect(findings(report, "sprocket-prod-api@swarm") == [
            .middlewareMismatch(
                expected: ["sprocket-prod-auth@swarm", "sprocket-prod-headers@swarm"],
                seen: ["sprocket-prod-headers@swarm", "sprocket-prod-auth@swarm"], orderOnly: true),
        ])
    }

    @Test("a missing middleware in the chain is a mismatch that is not order-only")
    func middlewareMissingFromChain() async throws {
        let table = SprocketRoutes.table(changing: "sprocket-prod-api@swarm") {
            $0.middlewares = ["sprocket-prod-headers"]
        }
        let report = try await verify(table, expected: [SprocketRoutes.expected[2]])
        #expect(findings(report, "sprocket-prod-api@swarm") == [
            .middlewareMismatch(
                expected: ["sprocket-prod-auth@swarm", "sprocket-prod-headers@swarm"],
                seen: ["sprocket-prod-headers@swarm"], orderOnly: false),
        ])
    }

    @Test("rules compare with whitespace normalised, but a different host is a mismatch")
    func rules() async throws {
        let spaced = SprocketRoutes.table(changing: "sprocket-prod-api@swarm") {
            $0.rule = "Host(`api.sprocket.gg`)&&PathPrefix( `/v1` )"
        }
        #expect(try await verify(spaced, expected: [SprocketRoutes.expected[2]]).passed)
        let other = SprocketRoutes.table(changing: "sprocket-prod-api@swarm") {
            $0.rule = "Host(`api.sprocket.dev`) && PathPrefix(`/v1`)"
        }
        let report = try await verify(other, expected: [SprocketRoutes.expected[2]])
        #expect(findings(report, "sprocket-prod-api@swarm") == [
            .ruleMismatch(
                expected: "Host(`api.sprocket.gg`) && PathPrefix(`/v1`)",
                seen: "Host(`api.sprocket.dev`) && PathPrefix(`/v1`)"),
        ])
    }

    @Test("entry points compare as sets")
    func entryPoints() async throws {
        let both = SprocketRoutes.table(changing: "sprocket-prod-web@swarm") { $0.entryPoints = ["websecure", "web"] }
        let report = try await verify(both, expected: [SprocketRoutes.expected[0]])
        #expect(findings(report, "sprocket-prod-web@swarm") == [
            .entryPointsMismatch(expected: ["websecure"], seen: ["websecure", "web"]),
        ])
        let reordered = [ExpectedRouter(
            name: "sprocket-prod-web", rule: "Host(`sprocket.gg`)", entryPoints: ["web", "websecure"],
            certResolver: "letsencrypt", middlewares: ["sprocket-prod-headers"], service: "sprocket-prod-web")]
        #expect(try await verify(both, expected: reordered).passed)
    }

    @Test("names given with their provider suffix and middlewares from another provider resolve like Traefik's")
    func suffixes() async throws {
        let table = SprocketRoutes.table(changing: "sprocket-prod-dashboard@swarm") {
            $0.middlewares = ["auth@file"]
        }
        var fileTable = table
        fileTable.middlewares.append(.init(name: "auth@file", type: "basicAuth"))
        let expected = [ExpectedRouter(
            name: "sprocket-prod-dashboard@swarm", rule: "Host(`traefik.sprocket.gg`)", entryPoints: ["websecure"],
            certResolver: "letsencrypt", middlewares: ["auth@file"], service: "api@internal")]
        #expect(try await verify(fileTable, expected: expected).passed)
    }

    @Test("a router that appears only on the third read is found within the budget, two intervals later")
    func discoveredAfterTwoPolls() async throws {
        var early = SprocketRoutes.table()
        early.routers.removeAll { $0.name == "sprocket-prod-api@swarm" }
        let clock = JumpClock()
        let report = try await withEmulator(early) { emulator, client in
            emulator.schedule(SprocketRoutes.table(), fromRouterListRead: 3)
            let report = try await RouteVerifier(source: client, pollInterval: .seconds(5), clock: clock)
                .verify(SprocketRoutes.expected)
            #expect(emulator.routerListReads == 3)
            return report
        }
        #expect(report.passed, "\(report.summaryLines)")
        #expect(report.polls == 3)
        #expect(clock.sleeps == [.seconds(5), .seconds(5)])
        #expect(report.waitedSeconds == 10)
    }

    @Test("a router that never appears fails after reading until the budget is spent")
    func budgetSpent() async throws {
        var table = SprocketRoutes.table()
        table.routers.removeAll { $0.name == "sprocket-prod-api@swarm" }
        let clock = JumpClock()
        let report = try await withEmulator(table) { _, client in
            try await RouteVerifier(source: client, budget: .seconds(60), pollInterval: .seconds(5), clock: clock)
                .verify(SprocketRoutes.expected)
        }
        #expect(report.polls == 13)
        #expect(report.waitedSeconds == 60)
        #expect(clock.sleeps.count == 12)
        #expect(findings(report, "sprocket-prod-api@swarm") == [.missing])
        #expect(report.summaryLines.last == "3 of 4 routers ok after 13 reads in 60s (budget 60s)")
    }

    @Test("more routers than one page: the verifier finds routers on later pages")
    func paging() async throws {
        var table = SprocketRoutes.table()
        for index in 0..<240 {
            table.routers.append(.init(
                name: "other-\(index)@swarm", rule: "Host(`other\(index).example`)", service: "sprocket-prod-web",
                entryPoints: ["web"]))
        }
        let report = try await withEmulator(table) { emulator, client in
            let report = try await RouteVerifier(source: client, clock: JumpClock()).verify(SprocketRoutes.expected)
            let pages = emulator.requests.filter { $0.path == "/api/http/routers" }.map { $0.query["page"] ?? "" }
            #expect(pages == ["1", "2", "3"])
            return report
        }
        #expect(report.passed, "\(report.summaryLines)")
    }

    @Test("routers of our provider and prefix that nothing expects are unexpected; other providers are not")
    func unexpectedRouters() async throws {
        var table = SprocketRoutes.table()
        table.routers.append(.init(
            name: "sprocket-prod-old-web@swarm", rule: "Host(`old.sprocket.gg`)", service: "sprocket-prod-web",
            entryPoints: ["web"]))
        table.routers.append(.init(
            name: "sprocket-prod-extra@file", rule: "Host(`x.sprocket.gg`)", service: "sprocket-prod-web@swarm",
            entryPoints: ["web"]))
        let report = try await verify(table, prefix: "sprocket-prod-")
        #expect(report.routers.allSatisfy { $0.passed })
        #expect(report.unexpected == [RouterVerdict(router: "sprocket-prod-old-web@swarm", findings: [.unexpected])])
        #expect(!report.passed)
    }

    @Test("a router defined twice with different rules vanishes from the API, as in Traefik, and is missing")
    func duplicateDefinitions() async throws {
        var table = SprocketRoutes.table()
        var copy = table.routers[0]
        copy.rule = "Host(`www.sprocket.gg`)"
        table.routers.append(copy)
        let report = try await withEmulator(table) { emulator, client in
            let report = try await RouteVerifier(source: client, budget: .zero, clock: JumpClock())
                .verify([SprocketRoutes.expected[0]])
            #expect(emulator.log == ["Router defined multiple times with different configurations"])
            return report
        }
        #expect(findings(report, "sprocket-prod-web@swarm") == [.missing])
    }

    @Test("Traefik v2.11 names Swarm resources @docker")
    func traefikV2() async throws {
        let report = try await withEmulator(SprocketRoutes.table(provider: "docker"), flavor: .v2_11) { _, client in
            try await RouteVerifier(source: client, provider: Traefik.dockerProvider, clock: JumpClock())
                .verify(SprocketRoutes.expected)
        }
        #expect(report.passed, "\(report.summaryLines)")
        #expect(report.routers[0].router == "sprocket-prod-web@docker")
    }

    @Test("an API that refuses every read throws its error once the budget is spent")
    func readErrors() async throws {
        let clock = JumpClock()
        await #expect {
            try await withEmulator(SprocketRoutes.table()) { emulator, client in
                emulator.requireAuthorization("Basic c3Byb2NrZXQ6c2VjcmV0")
                _ = try await RouteVerifier(source: client, budget: .seconds(20), clock: clock)
                    .verify(SprocketRoutes.expected)
            }
        } throws: { error in
            (error as? TraefikAPIError)?.httpStatus == 401
        }
        #expect(clock.sleeps.count == 4)
    }

    @Test("every finding kind survives its JSON form", arguments: [
        RouteFinding.missing, .disabled(status: "warning"), .inError(messages: ["a", "b"]),
        .ruleMismatch(expected: "Host(`a`)", seen: "Host(`b`)"), .entryPointsMismatch(expected: ["web"], seen: []),
        .tlsMismatch(expected: true, seen: false), .tlsResolverMismatch(expected: nil, seen: "le"),
        .middlewareMismatch(expected: ["a@swarm"], seen: ["b@file"], orderOnly: false),
        .serviceMismatch(expected: "a@swarm", seen: nil), .serviceMissing(service: "a@swarm"),
        .noServers(service: "a@swarm"), .serversDown(service: "a@swarm", servers: ["http://10.0.0.1"]), .unexpected,
        .probeFailed(status: 502, detail: "no server answered"),
        .tlsProbeFailed(detail: "Traefik's default certificate", acmeError: "ERR Unable to obtain ACME certificate", remedy: "fix DNS"),
        .tlsProbeFailed(detail: "no response: connection refused", acmeError: nil, remedy: nil),
    ])
    func findingRoundTrip(finding: RouteFinding) throws {
        let data = try JSONEncoder().encode(finding)
        #expect(try JSONDecoder().decode(RouteFinding.self, from: data) == finding)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["kind"] as? String == finding.kind)
        #expect(object["message"] as? String == finding.description)
    }

    @Test("the JSON form carries the kind, the fields and the message, and reads back equal")
    func jsonForm() async throws {
        let table = SprocketRoutes.table(changing: "sprocket-prod-web@swarm") {
            $0.tls = TraefikAPIEmulator.TLS(certResolver: "letsencrypt-staging")
        }
        let report = try await verify(table)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(report), as: UTF8.self)
        #expect(text.contains(#"{"expected":"letsencrypt","kind":"tlsResolverMismatch","message":"TLS resolver is letsencrypt-staging, expected letsencrypt","seen":"letsencrypt-staging"}"#))
        #expect(text.contains(#""passed":false"#))
        #expect(try JSONDecoder().decode(RouteVerificationReport.self, from: Data(text.utf8)) == report)
    }
}
