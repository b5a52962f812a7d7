@testable import SprocketCore

/// The Sprocket platform's routes as a spec: the web app at the apex, the API at `api.`, the image
/// generation UI at `image-generation.`, and the Traefik dashboard at `traefik.` behind forward-auth.
/// `prod` serves the public domain with Let's Encrypt; `local` serves `*.localhost` like the original's
/// localhost mode (`sprocket.localhost`, `api.sprocket.localhost`, ...).
enum RoutingFixture {
    static let stackFile = """
        stack: sprocket
        settings:
          hostname: sprocket.mlesports.gg
          subdomain: main
          traefik_version: v3
        environments:
          prod:
            access: [public]
          local:
            settings:
              hostname: localhost
              subdomain: sprocket
            access: [localhost]
        routing:
          traefik: ${traefik_version}
          domain: ${hostname}
          subdomain: ${subdomain}
          network: ingress
          socket_proxy: socket-proxy
          acme:
            resolver: letsencrypt
            email: ops@mlesports.gg
            challenge: tls-alpn
            storage: /data/acme.json
        layers: [edge, platform]

        """

    static let edgeFile = """
        networks:
          ingress:
            driver: overlay
            attachable: true
        services:
          traefik:
            image: traefik:v3.6
            networks: [ingress]
            routes:
              - name: dashboard
                subdomain: traefik
                service: api@internal
                middlewares:
                  - forward_auth:
                      address: http://forward-auth:3000/login?rule=SprocketAdmin
                      trust_forward_header: true
          forward-auth:
            image: thomseddon/traefik-forward-auth:2
            networks: [ingress]

        """

    static let platformFile = """
        needs: [edge]
        services:
          web:
            image: asaxplayinghorse/web:main
            networks: [ingress]
            routes:
              - port: 3000
          core:
            image: asaxplayinghorse/core:main
            networks: [ingress]
            routes:
              - name: api
                subdomain: api
                port: 3001
          image-generation-frontend:
            image: asaxplayinghorse/image-generation-frontend:main
            networks: [ingress]
            routes:
              - name: ui
                subdomain: image-generation
                port: 3000

        """

    static func files(platform: String = platformFile, edge: String = edgeFile, stack: String = stackFile) -> [String: String] {
        ["sprocket/stack.yaml": stack, "sprocket/edge.yaml": edge, "sprocket/platform.yaml": platform]
    }

    /// Loads the fixture for `environment` with Traefik `version`.
    static func load(_ environment: String, _ version: TraefikMajorVersion) throws -> StackSpec {
        let spec = try TemporarySpec(files())
        defer { spec.remove() }
        return try spec.load("sprocket", environment: environment, variables: ["SPROCKET_TRAEFIK_VERSION": version.rawValue])
    }

    /// The compiled labels of every routed service, by service name.
    static func labels(_ stack: StackSpec) -> [String: [String: String]] {
        let compiler = RouteLabelCompiler(stack: stack)
        var labels: [String: [String: String]] = [:]
        for service in stack.layers.flatMap(\.services) where !service.routes.isEmpty {
            labels[service.name] = compiler.compile(service).labels
        }
        return labels
    }
}
