import Testing
@testable import SprocketCore

/// `validate` on routes: host+path claimed twice, hand-written Traefik labels (rule syntax at its
/// file column, duplicate routers), contradictions with compiled labels, environments sharing a Traefik,
/// and loader errors in `routes:`/`routing:`.
@Suite("Routing: validation of routes and hand-written Traefik labels")
struct RoutingValidationTests {
    static func diagnostics(platform: String, environment: String = "prod") throws -> [SpecDiagnostic] {
        let spec = try TemporarySpec(RoutingFixture.files(platform: platform))
        defer { spec.remove() }
        return spec.diagnostics("sprocket", environment: environment)
    }

    static let platformHead = RoutingFixture.platformFile

    @Test("two services claiming the same host and path: one error naming both, at file:line")
    func sameHostAndPath() throws {
        let platform = Self.platformHead + """
              core-v2:
                image: asaxplayinghorse/core:next
                networks: [ingress]
                routes:
                  - name: api
                    subdomain: api
                    port: 3001

            """
        let errors = try Self.diagnostics(platform: platform).filter { $0.severity == .error }
        #expect(errors.count == 1)
        let error = try #require(errors.first)
        #expect(error.message.contains("service `core-v2` and service `core` both claim host `api.sprocket.mlesports.gg`"))
        #expect(error.location.file == "sprocket/platform.yaml" && error.location.line == 26, "\(error.location)")
        #expect(error.hint?.contains("sprocket/platform.yaml:12:") == true, "the hint points at the other route: \(error.hint ?? "")")
    }

    @Test("the same host with another path prefix is fine; the same prefix at the same priority is not")
    func pathPrefixes() throws {
        let separate = Self.platformHead + """
              docs:
                image: example/docs
                networks: [ingress]
                routes:
                  - {subdomain: api, paths: [/docs], port: 80}

            """
        #expect(try Self.diagnostics(platform: separate).filter { $0.severity == .error }.isEmpty)
        let clash = separate + """
              docs-v2:
                image: example/docs:2
                networks: [ingress]
                routes:
                  - {subdomain: api, paths: [/docs], port: 80}

            """
        let errors = try Self.diagnostics(platform: clash).filter { $0.severity == .error }
        #expect(errors.map(\.message) == [
            "service `docs-v2` and service `docs` both claim host `api.sprocket.mlesports.gg` and path `/docs` at priority 56 (routers `sprocket-prod-docs-1` and `sprocket-prod-docs-v2-1`)",
        ])
    }

    @Test("a hand-written rule with unbalanced backticks is reported at its column in the file")
    func handWrittenRuleColumn() throws {
        let line = "        - traefik.http.routers.legacy.rule=PathPrefix(`/x`) && Host(`old.example.com)"
        let platform = Self.platformHead + """
              legacy:
                image: example/legacy
                networks: [ingress]
                deploy:
                  labels:
            \(line)
                    - traefik.http.services.legacy.loadbalancer.server.port=80

            """
        let errors = try Self.diagnostics(platform: platform).filter { $0.severity == .error }
        let error = try #require(errors.first)
        // The value starts after `- traefik.http.routers.legacy.rule=`; the unclosed backtick is rule column 26.
        let equals = try #require(line.firstIndex(of: "="))
        let valueStart = line.distance(from: line.startIndex, to: equals) + 2
        #expect(error.message.hasPrefix("invalid rule of router `legacy` (service `legacy`), column 26: unterminated backtick string"))
        #expect(error.location.line == 27 && error.location.column == valueStart + 25, "\(error)")
        #expect(errors.count == 1)
    }

    @Test("one router name in the hand-written labels of two services: an error naming both")
    func duplicateRouterNames() throws {
        let platform = Self.platformHead + """
              legacy:
                image: example/legacy
                networks: [ingress]
                deploy:
                  labels:
                    traefik.http.routers.app.rule: Host(`legacy.example.com`)
                    traefik.http.services.legacy.loadbalancer.server.port: "80"
              worker:
                image: example/worker
                networks: [ingress]
                deploy:
                  labels:
                    traefik.http.routers.app.rule: Host(`worker.example.com`)
                    traefik.http.services.worker.loadbalancer.server.port: "80"

            """
        let errors = try Self.diagnostics(platform: platform).filter { $0.severity == .error }
        #expect(errors.count == 1)
        let error = try #require(errors.first)
        #expect(error.message.hasPrefix("router `app` is defined by service `legacy` and service `worker`"))
        #expect(error.message.contains("Router defined multiple times with different configurations"))
        #expect(error.location.line == 34)
    }

    @Test("a hand-written label that contradicts a compiled one is an error")
    func contradiction() throws {
        let platform = RoutingFixture.platformFile.replacingOccurrences(of: """
                    port: 3001
            """, with: """
                    port: 3001
                deploy:
                  labels:
                    traefik.http.services.sprocket-prod-core-api.loadbalancer.server.port: "8080"
            """)
        let errors = try Self.diagnostics(platform: platform).filter { $0.severity == .error }
        #expect(errors.map(\.message) == [
            "label `traefik.http.services.sprocket-prod-core-api.loadbalancer.server.port` of service `core` contradicts the label compiled from its `routes:` (`3001`)",
        ])
    }

    @Test("environments sharing one Traefik: different subdomains never clash, two `main` environments do")
    func acrossEnvironments() throws {
        let stackFile = RoutingFixture.stackFile.replacingOccurrences(of: "  local:\n", with: """
              staging:
                settings:
                  subdomain: staging
                access: [public]
              preview:
                access: [public]
              local:

            """)
        let spec = try TemporarySpec(RoutingFixture.files(stack: stackFile))
        defer { spec.remove() }
        let prod = try spec.load("sprocket", environment: "prod")
        let staging = try spec.load("sprocket", environment: "staging")
        let preview = try spec.load("sprocket", environment: "preview")
        #expect(RouteLabelCompiler(stack: staging).compiledRouters().map(\.rule).contains("Host(`api.staging.sprocket.mlesports.gg`)"))
        #expect(RouteConflictDetector.diagnostics(for: [prod, staging]).isEmpty)
        let clashes = RouteConflictDetector.diagnostics(for: [prod, preview])
        #expect(clashes.count == 4, "web, api, image generation and the dashboard")
        #expect(clashes.contains {
            $0.message.hasPrefix("service `core` of sprocket/preview and service `core` of sprocket/prod both claim host `api.sprocket.mlesports.gg`")
        })
    }

    @Test("loader errors in routes and routing point at file:line:column", arguments: [
        ("  core:\n    image: x\n    routes:\n      - {subdomain: api, prot: 3001}\n", "unknown key `prot` in route 1 of service `core`", 5, 26),
        ("  core:\n    image: x\n    routes:\n      - {port: 3001, tls: acmee}\n", "invalid value `acmee` for `routes.tls`", 5, 27),
        ("  core:\n    image: x\n    routes:\n      - {port: 3001, access: [publik]}\n", "unknown access profile `publik` in `routes.access`", 5, 31),
        ("  core:\n    image: x\n    routes:\n      - port: 3001\n        middlewares: [{basic: {}}]\n", "unknown middleware kind `basic`", 6, 24),
    ])
    func loaderErrors(services: String, message: String, line: Int, column: Int) throws {
        let spec = try TemporarySpec([
            "s/stack.yaml": "stack: s\nrouting: {domain: example.com, access: [public]}\nlayers: [app]\n",
            "s/app.yaml": "services:\n" + services,
        ])
        defer { spec.remove() }
        let diagnostics = spec.diagnostics("s")
        let diagnostic = try #require(diagnostics.first { $0.message.hasPrefix(message) }, "\(diagnostics)")
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.location == SourceLocation(file: "s/app.yaml", line: line, column: column))
    }

    @Test("profiles need their settings; routed services need the ingress network")
    func profileSettings() throws {
        let spec = try TemporarySpec([
            "s/stack.yaml": "stack: s\nrouting: {network: edge, access: [public, lan]}\nlayers: [app]\n",
            "s/app.yaml": "networks:\n  edge: {driver: overlay}\nservices:\n  web:\n    image: x\n    routes:\n      - {port: 80}\n",
        ])
        defer { spec.remove() }
        let messages = spec.diagnostics("s").filter { $0.severity == .error }.map(\.message)
        #expect(messages.contains("access profile `public` is enabled for `default` but `routing.domain` is not set"))
        #expect(messages.contains("access profile `lan` is enabled for `default` but `routing.lan_ip` is not set"))
        #expect(messages.contains("service `web` has routes but is not on the ingress network `edge`"))
    }

    @Test("public_ip takes one address or a list; anything else is an error at its line")
    func publicAddresses() throws {
        let spec = try TemporarySpec([
            "s/stack.yaml": """
                stack: s
                settings: {ip6: "2001:db8::7"}
                environments:
                  prod: {}
                  bad: {}
                routing: {domain: example.com, access: [public], public_ip: [203.0.113.7, "${ip6}"]}
                layers: [app]

                """,
            "s/app.yaml": "services:\n  web: {image: x}\n",
            "t/stack.yaml": "stack: t\nrouting:\n  public_ip: example.com\nlayers: [app]\n",
            "t/app.yaml": "services:\n  web: {image: x}\n",
        ])
        defer { spec.remove() }
        #expect(try spec.load("s", environment: "prod").routing.publicAddresses == ["203.0.113.7", "2001:db8::7"])
        let diagnostic = try #require(spec.diagnostics("t").first { $0.message.contains("public_ip") })
        #expect(diagnostic.message == "`routing.public_ip` value `example.com` is not an IPv4 or IPv6 address")
        #expect(diagnostic.location.line == 3)
    }
}
