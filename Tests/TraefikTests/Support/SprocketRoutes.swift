import SprocketTestSupport
import Traefik

/// The Sprocket routes used across the verifier tests: what the label compiler expects, and the emulator table of
/// a Traefik that serves exactly that.
enum SprocketRoutes {
    static let expected: [ExpectedRouter] = [
        ExpectedRouter(
            name: "sprocket-prod-web", rule: "Host(`sprocket.gg`)", entryPoints: ["websecure"],
            certResolver: "letsencrypt", middlewares: ["sprocket-prod-headers"], service: "sprocket-prod-web"),
        ExpectedRouter(
            name: "sprocket-prod-web-http", rule: "Host(`sprocket.gg`)", entryPoints: ["web"],
            middlewares: ["sprocket-prod-redirect"], service: "sprocket-prod-web"),
        ExpectedRouter(
            name: "sprocket-prod-api", rule: "Host(`api.sprocket.gg`) && PathPrefix(`/v1`)", entryPoints: ["websecure"],
            certResolver: "letsencrypt", middlewares: ["sprocket-prod-auth", "sprocket-prod-headers"],
            service: "sprocket-prod-api"),
        ExpectedRouter(
            name: "sprocket-prod-dashboard", rule: "Host(`traefik.sprocket.gg`)", entryPoints: ["websecure"],
            certResolver: "letsencrypt", middlewares: ["sprocket-prod-auth"], service: "api@internal"),
    ]

    /// The table of a Traefik (v3, Swarm provider) that read the compiled labels of every Sprocket route.
    static func table(provider: String = "swarm") -> TraefikAPIEmulator.Table {
        let letsEncrypt = TraefikAPIEmulator.TLS(certResolver: "letsencrypt")
        func name(_ base: String) -> String { "\(base)@\(provider)" }
        return TraefikAPIEmulator.Table(
            routers: [
                .init(name: name("sprocket-prod-web"), rule: "Host(`sprocket.gg`)", service: "sprocket-prod-web",
                      entryPoints: ["websecure"], middlewares: ["sprocket-prod-headers"], tls: letsEncrypt),
                .init(name: name("sprocket-prod-web-http"), rule: "Host(`sprocket.gg`)", service: "sprocket-prod-web",
                      entryPoints: ["web"], middlewares: ["sprocket-prod-redirect"]),
                .init(name: name("sprocket-prod-api"), rule: "Host(`api.sprocket.gg`) && PathPrefix(`/v1`)",
                      service: "sprocket-prod-api", entryPoints: ["websecure"],
                      middlewares: ["sprocket-prod-auth", "sprocket-prod-headers"], tls: letsEncrypt),
                .init(name: name("sprocket-prod-dashboard"), rule: "Host(`traefik.sprocket.gg`)", service: "api@internal",
                      entryPoints: ["websecure"], middlewares: ["sprocket-prod-auth"], tls: letsEncrypt),
            ],
            services: [
                .init(name: name("sprocket-prod-web"), servers: ["http://10.0.1.7:3000", "http://10.0.1.8:3000"]),
                .init(name: name("sprocket-prod-api"), servers: ["http://10.0.1.9:8080"]),
            ],
            middlewares: [
                .init(name: name("sprocket-prod-headers"), type: "headers", configuration: #"{"stsSeconds":31536000}"#),
                .init(name: name("sprocket-prod-auth"), type: "forwardAuth",
                      configuration: #"{"address":"http://auth:4181"}"#),
                .init(name: name("sprocket-prod-redirect"), type: "redirectScheme",
                      configuration: #"{"scheme":"https","permanent":true}"#),
            ])
    }

    /// The same table with one router replaced by `change(router)`.
    static func table(
        changing router: String, _ change: (inout TraefikAPIEmulator.Router) -> Void
    ) -> TraefikAPIEmulator.Table {
        var table = table()
        for index in table.routers.indices where table.routers[index].name == router {
            change(&table.routers[index])
        }
        return table
    }
}

/// Runs `body` with a started emulator and a client for it, and shuts the emulator down afterwards.
func withEmulator<T: Sendable>(
    _ table: TraefikAPIEmulator.Table, flavor: TraefikAPIEmulator.Flavor = .v3(6), pageSize: Int = 100,
    _ body: (TraefikAPIEmulator, TraefikAPIClient) async throws -> T
) async throws -> T {
    let emulator = try await TraefikAPIEmulator.start(table: table, flavor: flavor)
    do {
        let client = try TraefikAPIClient(baseURL: emulator.baseURL, pageSize: pageSize)
        let result = try await body(emulator, client)
        try await emulator.shutdown()
        return result
    } catch {
        try? await emulator.shutdown()
        throw error
    }
}
