import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

/// A test stack served by real Traefik: its spec (written to a temporary folder and loaded like any other), and
/// the ``TraefikSwarm`` running the static configuration sprocketctl generates for it.
///
/// Stack names are unique per fixture (`tt-<suffix>`), and the generated provider constraint makes each Traefik read
/// only its own stack, so suites run in parallel without routing each other's services.
struct RealTraefikFixture: Sendable {
    let stack: StackSpec
    let traefik: TraefikSwarm

    /// The user and password of the basic-auth users file mounted into Traefik (a test credential only).
    static let basicUser = ("ops", "correct-horse")
    /// Where the compiled `basicauth.usersfile` label points for the stack secret `web-users`.
    static let usersFile = "/run/secrets/web-users"

    /// `stack.yaml` of a stack with every access profile; `{{stack}}` is replaced. ACME points at the container's own
    /// loopback, where nothing listens: the resolver configuration is real, but no request leaves the machine.
    static func stackFile(access: String) -> String {
        """
        stack: {{stack}}
        environments:
          test:
            access: \(access)
        routing:
          traefik: v3
          domain: example.test
          subdomain: main
          network: ingress
          lan_ip: 127.0.0.2
          tailscale_ip: 127.0.0.3
          acme:
            resolver: letsencrypt
            email: ops@example.test
            challenge: tls-alpn
            storage: /tmp/acme.json
        layers: [app]

        """
    }

    /// Loads the spec (`app.yaml` holds the routed services) and starts Traefik for it.
    static func start(access: String = "[public, localhost, lan, tailscale]", app: String) async throws -> RealTraefikFixture {
        let name = "tt-\(uniqueSuffix())"
        let folder = try TemporaryDirectory(prefix: "sprocket-traefik")
        defer { folder.remove() }
        try folder.write("stack.yaml", stackFile(access: access).replacingOccurrences(of: "{{stack}}", with: name))
        try folder.write("app.yaml", app.replacingOccurrences(of: "{{stack}}", with: name))
        var stack = try SpecLoader(processEnvironment: [:]).load(path: folder.path, environment: "test")
        stack.routing.acme.directoryOverride = "https://127.0.0.1:14000/dir"
        let users = TraefikSwarm.htpasswdLine(user: basicUser.0, password: basicUser.1) + "\n"
        let traefik = try await TraefikSwarm.start(stack: stack, files: [(usersFile, users)])
        return RealTraefikFixture(stack: traefik.stack, traefik: traefik)
    }

    /// The compiled labels of the spec service `name`.
    func labels(of name: String) throws -> [String: String] {
        let service = try #require(stack.layers.flatMap(\.services).first { $0.name == name }, "no service \(name) in the spec")
        return RouteLabelCompiler(stack: stack).compile(service).labels
    }

    /// Deploys the spec service `name` with its compiled labels (image and command given here, as the test needs).
    func deploy(_ name: String, image: String, command: [String]? = nil, files: [(target: String, content: String)] = []) async throws {
        try await traefik.deployBackend(name: name, image: image, command: command, labels: try labels(of: name), configs: files)
    }
}

/// One real Traefik shared by every test of a suite: started before the first test, stopped after the last,
/// whatever happened in between.
struct SharedRealTraefik: SuiteTrait, TestScoping {
    @TaskLocal static var current: RealTraefikFixture?

    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let fixture = try await RealTraefikFixture.start(app: RealTraefikRoutingTests.appFile)
        do {
            try await Self.$current.withValue(fixture) { try await function() }
        } catch {
            await fixture.traefik.stop()
            throw error
        }
        await fixture.traefik.stop()
    }

    /// The suite's fixture, or a failure when the trait did not run.
    static func fixture() throws -> RealTraefikFixture {
        try #require(current, "the suite needs the .sharedRealTraefik trait")
    }
}

extension Trait where Self == SharedRealTraefik {
    static var sharedRealTraefik: Self { SharedRealTraefik() }
}

/// The web images scripts/test builds (`sprocket-local/web:N`, busybox httpd on 8080).
enum TestImages {
    static var web: String {
        ProcessInfo.processInfo.environment["SPROCKET_TEST_WEB_IMAGES"]?.split(separator: " ").first.map(String.init) ?? "sprocket-local/web:1"
    }

    static var busybox: String { ProcessInfo.processInfo.environment["SPROCKET_TEST_IMAGE"] ?? "sprocket-local/busybox:latest" }
}
