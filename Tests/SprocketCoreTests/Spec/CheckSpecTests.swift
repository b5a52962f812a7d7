import Testing
@testable import SprocketCore

/// `checks:` of services and `gate:` of layers: the forms they take and the defaults they get. Malformed entries
/// are in the table of ``MalformedSpecTests`` (`MalformedCheckCases.swift`).
@Suite("Typed checks in the spec")
struct CheckSpecTests {
    @Test("a typo in a gate's service name suggests the service")
    func suggestsServiceName() throws {
        let spec = try TemporarySpec(["stack.yaml": MalformedSpecCase.defaultStack, "app.yaml": "gate:\n  - replicas: {service: wbe}\n" + MalformedSpecCase.web("")])
        defer { spec.remove() }
        let hint = spec.diagnostics().first { $0.message.contains("`wbe`") }?.hint
        #expect(hint == "did you mean `web`?")
    }

    static let fullStack: [String: String] = [
        "stack.yaml": "stack: demo\nsettings:\n  probe_image: local/busybox\nlayers: [data, app]\n",
        "data.yaml": """
            networks:
              backend: {}
            services:
              db:
                image: x
                networks: [backend]
                ports:
                  - target: 5432
                    published: 15432
                    mode: host
                checks:
                  - tcp
                  - http: {path: /health, status: 204, body: ok, timeout: 3s, interval: 1s, retries: 5}
                  - no-restart-loop: {restarts: 5, window: 10m}
            """,
        "app.yaml": """
            needs: [data]
            gate:
              - http: {service: db, port: 5432, published: true, method: head}
              - command: {run: "sh -c 'exit 0'", network: backend}
            services:
              web:
                image: y
                networks: [backend]
                deploy: {replicas: 3}
            """,
    ]

    @Test("checks and gates parse with their defaults")
    func parsesChecks() throws {
        let spec = try TemporarySpec(Self.fullStack)
        defer { spec.remove() }
        let stack = try spec.load()
        let db = try #require(stack.service("db"))
        #expect(db.checks.map(\.kind) == [.tcp, .http, .noRestartLoop])
        #expect(db.checks[0].probe == .tcp(CheckEndpointSpec()))
        guard case .http(let http) = db.checks[1].probe else { Issue.record("not http"); return }
        #expect(http.method == "GET" && http.path == "/health" && http.status == 204 && http.body == "ok")
        #expect(db.checks[1].timeout == .seconds(3) && db.checks[1].interval == .seconds(1) && db.checks[1].retries == 5)
        #expect(db.checks[2].probe == .noRestartLoop(restarts: 5, window: .seconds(600)))
        let gate = try #require(stack.layer(named: "app")?.gate)
        #expect(gate.map(\.service) == ["db", nil])
        #expect(gate[1].probe == .command(CommandCheckSpec(run: ["sh", "-c", "exit 0"], network: "backend")))
    }

    @Test("every service gets replicas and no-restart-loop unless it declares its own; gates follow")
    func resolvesChecks() throws {
        let spec = try TemporarySpec(Self.fullStack)
        defer { spec.remove() }
        let desired = DesiredStateBuilder(stack: try spec.load(), secrets: [:]).build()
        let data = try #require(desired.layer(named: "data")).checks
        #expect(data.map(\.name) == [
            "db: replicas", "db: tcp on port 5432", "db: http GET /health on port 5432", "db: fewer than 5 restarts in 10m",
        ])
        #expect(data.map(\.origin) == [.implicit, .service, .service, .service])
        #expect(data[1].kind == .tcp(.network(network: "demo-default_backend", host: "db", port: 5432, image: "local/busybox")))
        #expect(data[1].timing == CheckDefaults.timing(for: .tcp))
        #expect(data[2].timing == CheckTiming(timeout: .seconds(3), interval: .seconds(1), retries: 5))
        #expect(data[0].labels == ["io.sprocket.stack": "demo", "io.sprocket.env": "default", "io.sprocket.probe": "true"])
        let app = try #require(desired.layer(named: "app")).checks
        #expect(app.map(\.name) == [
            "web: replicas", "web: fewer than 3 restarts in 2m", "gate db: http HEAD / on host port 15432",
            "gate layer app: command `sh -c exit 0`",
        ])
        #expect(app[0].kind == .replicas(expected: 3))
        #expect(app[3].kind == .command(CommandProbe(run: ["sh", "-c", "exit 0"], image: "local/busybox", network: "demo-default_backend")))
        #expect(app[3].service == nil)
    }

    @Test("verify adds published ports and lingering tasks to the gate checks")
    func verifyChecks() throws {
        let spec = try TemporarySpec(Self.fullStack)
        defer { spec.remove() }
        let stack = try spec.load()
        let checks = CheckResolver(stack: stack).verifyChecks(for: try #require(stack.layer(named: "data")))
        #expect(checks.suffix(2).map(\.name) == ["db: host port 15432 answers", "db: no lingering tasks"])
        #expect(checks.suffix(2).map(\.origin) == [.verify, .verify])
        #expect(checks.suffix(2).first?.kind == .tcp(.published(port: 15432)))
    }

    @Test("a spec without any check still gets the implicit ones, and jobs get none")
    func implicitChecksOnly() throws {
        let spec = try TemporarySpec([
            "stack.yaml": "stack: demo\nlayers: [app]\n",
            "app.yaml": "services:\n  web:\n    image: x\n  once:\n    image: x\n    deploy: {mode: replicated-job}\n  all:\n    image: x\n    deploy: {mode: global}\n",
        ])
        defer { spec.remove() }
        let checks = DesiredStateBuilder(stack: try spec.load(), secrets: [:]).build().layers[0].checks
        #expect(checks.map(\.name) == ["web: replicas", "web: fewer than 3 restarts in 2m", "all: replicas", "all: fewer than 3 restarts in 2m"])
        #expect(checks[2].kind == .replicas(expected: nil))
    }
}
