import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

/// `verify routes` and multi-environment `validate` run as the built binary, against a spec written here and the
/// Traefik API emulator serving the router table compiled from that spec.
@Suite("verify routes and validate across environments")
struct VerifyRoutesCommandTests {
    /// A Sprocket-like stack: the web app at the apex, the API at `api.`, the Traefik dashboard behind
    /// forward-auth; `prod` is public with Let's Encrypt. `staging` forgets its own subdomain, so it produces
    /// prod's hosts; `local` is served on `*.localhost`.
    static let stackFile = """
        stack: sprocket
        settings:
          hostname: sprocket.example.test
          subdomain: main
        environments:
          prod:
            access: [public]
          staging:
            access: [public]
          local:
            settings: {hostname: localhost, subdomain: sprocket}
            access: [localhost]
        layers: [edge, platform]
        routing:
          network: ingress
          traefik: v3
          subdomain: ${subdomain}
          domain: ${hostname}
          acme: {resolver: letsencrypt, email: ops@example.test, challenge: tls-alpn, storage: /data/acme.json}

        """

    static let edgeFile = """
        networks:
          ingress: {driver: overlay, attachable: true}
        services:
          forward-auth: {image: "thomseddon/traefik-forward-auth:2", networks: [ingress]}
          traefik:
            image: traefik:v3.6
            networks: [ingress]
            routes:
              - {name: dashboard, subdomain: traefik, service: api@internal,
                 middlewares: [{forward_auth: {address: "http://forward-auth:3000/login", trust_forward_header: true}}]}

        """

    static let platformFile = """
        needs: [edge]
        services:
          web:
            image: example/web:main
            networks: [ingress]
            routes: [{port: 3000}]
          core:
            image: example/core:main
            networks: [ingress]
            routes: [{name: api, subdomain: api, port: 3001}]

        """

    /// The spec in a fresh folder.
    struct SpecFolder {
        let directory: TemporaryDirectory
        var path: String { "\(directory.path)/sprocket" }

        init(platform: String = VerifyRoutesCommandTests.platformFile, edge: String = VerifyRoutesCommandTests.edgeFile) throws {
            directory = try TemporaryDirectory(prefix: "verify-routes")
            try FileManager.default.createDirectory(atPath: "\(directory.path)/sprocket", withIntermediateDirectories: true)
            for (name, text) in ["stack.yaml": stackFile, "edge.yaml": edge, "platform.yaml": platform] {
                try text.write(toFile: "\(directory.path)/sprocket/\(name)", atomically: true, encoding: .utf8)
            }
        }

        func compiledRouters(_ environment: String) throws -> [CompiledRouter] {
            let stack = try SpecLoader(processEnvironment: [:]).load(path: path, environment: environment)
            return RouteLabelCompiler(stack: stack).compiledRouters()
        }
    }

    /// What Traefik would hold once the stack is deployed: every compiled router with its service (one running
    /// task each) and middlewares.
    static func table(for routers: [CompiledRouter]) -> TraefikAPIEmulator.Table {
        var services: [String] = []
        var middlewares: [String] = []
        for router in routers {
            if !router.service.hasSuffix("@internal"), !services.contains(router.service) { services.append(router.service) }
            for middleware in router.middlewares where !middlewares.contains(middleware) { middlewares.append(middleware) }
        }
        return TraefikAPIEmulator.Table(
            routers: routers.map { router in
                TraefikAPIEmulator.Router(
                    name: router.name, rule: router.rule, service: router.service, entryPoints: router.entryPoints,
                    middlewares: router.middlewares,
                    tls: router.tls ? TraefikAPIEmulator.TLS(certResolver: router.certResolver) : nil)
            },
            services: services.enumerated().map { index, name in
                TraefikAPIEmulator.Service(name: name, servers: ["http://10.0.1.\(index + 10):3000"])
            },
            middlewares: middlewares.map { TraefikAPIEmulator.Middleware(name: $0, type: "forwardAuth") })
    }

    struct RouteReport: Decodable {
        struct Verdict: Decodable {
            struct Finding: Decodable {
                var kind: String
                var message: String
            }
            var router: String
            var passed: Bool
            var findings: [Finding]
        }
        var passed: Bool
        var routers: [Verdict]
        var unexpected: [Verdict]
    }

    func verifyRoutes(_ spec: SpecFolder, api: String, extra: [String] = []) async throws -> CLIRun {
        try await CLIBinary.runDetached(
            ["verify", "routes", "-f", spec.path, "--env", "prod", "--traefik-api", api, "--budget", "1s"] + extra)
    }

    @Test("every compiled router served as compiled: exit 0, and --json says passed for each")
    func allGood() async throws {
        let spec = try SpecFolder()
        defer { spec.directory.remove() }
        let routers = try spec.compiledRouters("prod")
        #expect(routers.count == 3)
        let emulator = try await TraefikAPIEmulator.start(table: Self.table(for: routers))
        defer { Task { try? await emulator.shutdown() } }

        let json = try await verifyRoutes(spec, api: emulator.baseURL, extra: ["--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let report = try JSONDecoder().decode(RouteReport.self, from: Data(json.stdout.utf8))
        #expect(report.passed)
        #expect(report.routers.map(\.router) == routers.map(\.name))
        #expect(report.routers.allSatisfy { $0.passed })

        let text = try await verifyRoutes(spec, api: emulator.baseURL)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("3 of 3 routers ok"))
        for router in routers { #expect(text.stdout.contains(router.name)) }
    }

    /// One thing wrong with what Traefik serves.
    enum Breakage: String, CaseIterable, Sendable {
        case missingRouter, routerInError, wrongResolver, serviceWithoutServers

        /// The router it breaks (by spec service) and the finding kinds the report must give it, exactly.
        var target: (service: String, kinds: [String]) {
            switch self {
            case .missingRouter: ("web", ["missing"])
            case .routerInError: ("core", ["disabled", "inError"])
            case .wrongResolver: ("core", ["tlsResolverMismatch"])
            case .serviceWithoutServers: ("web", ["noServers"])
            }
        }

        func apply(to table: inout TraefikAPIEmulator.Table, router: CompiledRouter) {
            let index = table.routers.firstIndex { $0.name == router.name }
            switch self {
            case .missingRouter:
                table.routers.removeAll { $0.name == router.name }
            case .routerInError:
                if let index { table.routers[index].errors = ["field not found, node: rule"] }
            case .wrongResolver:
                if let index { table.routers[index].tls = TraefikAPIEmulator.TLS(certResolver: "letsencrypt-staging") }
            case .serviceWithoutServers:
                if let service = table.services.firstIndex(where: { $0.name == router.service }) {
                    table.services[service].servers = []
                }
            }
        }
    }

    @Test("one thing wrong: exit 1, and the report names exactly that router and that finding", arguments: Breakage.allCases)
    func oneBreakage(_ breakage: Breakage) async throws {
        let spec = try SpecFolder()
        defer { spec.directory.remove() }
        let routers = try spec.compiledRouters("prod")
        let broken = try #require(routers.first { $0.specService == breakage.target.service })
        var table = Self.table(for: routers)
        breakage.apply(to: &table, router: broken)
        let emulator = try await TraefikAPIEmulator.start(table: table)
        defer { Task { try? await emulator.shutdown() } }

        let json = try await verifyRoutes(spec, api: emulator.baseURL, extra: ["--json"])
        #expect(json.status == 1, "\(json.stderr)")
        let report = try JSONDecoder().decode(RouteReport.self, from: Data(json.stdout.utf8))
        #expect(!report.passed)
        #expect(report.unexpected.isEmpty)
        let failing = report.routers.filter { !$0.passed }
        #expect(failing.map(\.router) == [broken.name])
        #expect(failing.first?.findings.map(\.kind) == breakage.target.kinds)

        let text = try await verifyRoutes(spec, api: emulator.baseURL)
        #expect(text.status == 1)
        let failLines = text.stdout.split(separator: "\n").filter { $0.contains("FAIL") }
        #expect(failLines.count == 1 && failLines.first?.contains(broken.name) == true, "\(text.stdout)")
        if breakage == .wrongResolver { #expect(text.stdout.contains("letsencrypt-staging")) }
        if breakage == .routerInError { #expect(text.stdout.contains("field not found, node: rule")) }
    }

    @Test("a router of this environment that the spec no longer declares is reported as unexpected")
    func orphanRouter() async throws {
        let spec = try SpecFolder()
        defer { spec.directory.remove() }
        let routers = try spec.compiledRouters("prod")
        var table = Self.table(for: routers)
        let orphan = TraefikAPIEmulator.Router(
            name: "sprocket-prod-old-1@swarm", rule: "Host(`sprocket.example.test`)", service: routers[1].service,
            entryPoints: ["websecure"])
        table.routers.append(orphan)
        let emulator = try await TraefikAPIEmulator.start(table: table)
        defer { Task { try? await emulator.shutdown() } }

        let run = try await verifyRoutes(spec, api: emulator.baseURL, extra: ["--json"])
        #expect(run.status == 1)
        let report = try JSONDecoder().decode(RouteReport.self, from: Data(run.stdout.utf8))
        #expect(report.routers.allSatisfy { $0.passed })
        #expect(report.unexpected.map(\.router) == [orphan.name])
    }

    @Test("an API nothing listens on fails at once with a message naming the URL and what to do")
    func unreachableAPI() async throws {
        let spec = try SpecFolder()
        defer { spec.directory.remove() }
        let emulator = try await TraefikAPIEmulator.start()
        let address = emulator.baseURL
        try await emulator.shutdown()

        let started = ContinuousClock.now
        let run = try await CLIBinary.runDetached(
            ["verify", "routes", "-f", spec.path, "--env", "prod", "--traefik-api", address, "--budget", "30s"])
        #expect(run.status == 1)
        #expect(ContinuousClock.now - started < .seconds(20), "an unreachable API must not wait out the budget")
        #expect(run.stderr.contains(address), "\(run.stderr)")
        #expect(run.stderr.contains("--traefik-api"))
    }

    @Test("basic auth: the password comes from the variable --traefik-password-env names, and never shows")
    func basicAuthentication() async throws {
        let spec = try SpecFolder()
        defer { spec.directory.remove() }
        let emulator = try await TraefikAPIEmulator.start(table: Self.table(for: try spec.compiledRouters("prod")))
        defer { Task { try? await emulator.shutdown() } }
        let secret = "s3cret-\(UUID().uuidString)"
        emulator.requireAuthorization("Basic " + Data("admin:\(secret)".utf8).base64EncodedString())

        let denied = try await verifyRoutes(spec, api: emulator.baseURL)
        #expect(denied.status == 1)
        #expect(denied.stderr.contains("401"), "\(denied.stderr)")

        let allowed = try await CLIBinary.runDetached(
            ["verify", "routes", "-f", spec.path, "--env", "prod", "--traefik-api", emulator.baseURL, "--budget", "1s",
             "--traefik-user", "admin", "--traefik-password-env", "TEST_TRAEFIK_PASSWORD"],
            environment: ["TEST_TRAEFIK_PASSWORD": secret])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(!(allowed.stdout + allowed.stderr + denied.stderr).contains(secret))

        let unset = try await CLIBinary.runDetached(
            ["verify", "routes", "-f", spec.path, "--env", "prod", "--traefik-api", emulator.baseURL,
             "--traefik-user", "admin", "--traefik-password-env", "TEST_TRAEFIK_PASSWORD_UNSET_\(UUID().uuidString.prefix(8))"])
        #expect(unset.status == 1)
        #expect(unset.stderr.contains("is not set"))
    }

    @Test("a spec without routes says so and exits 0 without reading Traefik")
    func specWithoutRoutes() async throws {
        let spec = try SpecFolder(
            platform: """
                needs: [edge]
                services:
                  worker:
                    image: example/worker:main

                """,
            edge: """
                networks:
                  ingress:
                    driver: overlay
                services:
                  forward-auth:
                    image: example/auth:2
                    networks: [ingress]

                """)
        defer { spec.directory.remove() }
        #expect(try spec.compiledRouters("prod").isEmpty)
        let run = try await CLIBinary.runDetached(
            ["verify", "routes", "-f", spec.path, "--env", "prod", "--traefik-api", "http://127.0.0.1:9"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("declares no routes"))
    }

    @Test("plain `verify` still runs its own checks: `routes` is a subcommand, not a default")
    func verifyKeepsItsOwnRun() async throws {
        let help = try await CLIBinary.runDetached(["verify", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("routes"))
        #expect(help.stdout.contains("--fix"))
        let routesHelp = try await CLIBinary.runDetached(["verify", "routes", "--help"])
        #expect(routesHelp.stdout.contains("--traefik-api"))
        #expect(!routesHelp.stdout.contains("--fix"))
    }

    @Test("validate with two environments producing the same hosts: an error naming both environments and services")
    func environmentsSharingHosts() async throws {
        let spec = try SpecFolder()
        defer { spec.directory.remove() }
        for environment in ["prod", "staging"] {
            let single = try await CLIBinary.runDetached(["validate", "-f", spec.path, "--env", environment])
            #expect(single.status == 0, "\(single.stderr)")
        }
        let together = try await CLIBinary.runDetached(["validate", "-f", spec.path, "--env", "prod", "--env", "staging"])
        #expect(together.status == 3, "\(together.stdout)\(together.stderr)")
        let conflict = together.stderr.split(separator: "\n").first { $0.contains("host `sprocket.example.test`") && $0.contains("both claim") }
        let line = try #require(conflict.map(String.init), "\(together.stderr)")
        #expect(line.contains("sprocket/prod") && line.contains("sprocket/staging"), "\(line)")
        #expect(line.contains("`web`"), "\(line)")

        let all = try await CLIBinary.runDetached(["validate", "-f", spec.path, "--all-environments", "--env", "local", "--json"])
        #expect(all.status == 3)
        #expect(all.stdout.contains("sprocket/staging"))

        let apart = try await CLIBinary.runDetached(["validate", "-f", spec.path, "--env", "prod", "--env", "local", "--json"])
        #expect(apart.status == 0, "\(apart.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(apart.stdout.utf8)) as? [String: Any]
        #expect((object?["environments"] as? [[String: Any]])?.compactMap { $0["environment"] as? String } == ["prod", "local"])
    }
}
