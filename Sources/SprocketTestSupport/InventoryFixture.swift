/// A stack with everything `graph` and `docs` draw: two layers, routes on public and localhost profiles (one with
/// forward-auth), a Vault token, PostgreSQL roles and a database, an S3 bucket, generated and environment secrets,
/// a config, a named volume and a bind mount. Used by the inventory renderer tests and the CLI tests.
public enum InventoryFixture {
    public static let stack = """
        stack: inv
        description: Inventory fixture
        settings:
          hostname: example.test
          pg_host: db.example.test
        environments:
          prod:
            access: [public]
          local:
            settings: {hostname: localhost}
            access: [localhost]
        default_environment: prod
        layers: [edge, app]
        routing:
          network: ingress
          domain: ${hostname}
          subdomain: main
          acme: {resolver: letsencrypt, email: ops@example.test}
        vault:
          address: http://127.0.0.1:8200
          layer: edge
          policies:
            platform-read: [{path: "platform/*", access: [read]}]
          tokens:
            platform: {policies: [platform-read], period: 768h, consumers: [api]}
        postgres:
          host: ${pg_host}
          port: 5432
          sslmode: require
          admin: {user: doadmin, password_secret: pg-admin}
          roles:
            app_user: {password_secret: pg-app, connection_limit: 5}
          databases:
            app_db: {owner: app_user}
        s3:
          endpoint: https://fra1.example.test
          region: fra1
          credentials: {access_key_secret: s3-id, secret_key_secret: s3-secret}
          buckets:
            inv-replays:
              versioning: true
              lifecycle: [{prefix: tmp/, expire_days: 7}]
              consumers: [api]

        """

    public static let edge = """
        networks:
          ingress: {driver: overlay, attachable: true}
        volumes:
          traefik-data: {}
        services:
          traefik:
            image: traefik:v3.1
            networks: [ingress]
            ports:
              - {target: 443, published: 443, mode: host}
            volumes:
              - traefik-data:/data
              - /srv/inv/traefik-logs:/logs
            deploy:
              placement:
                constraints: [node.role == manager]
          vault:
            image: hashicorp/vault:1.18
            networks: [ingress]
            routes:
              - {name: ui, subdomain: vault, port: 8200}

        """

    public static let app = """
        needs: [edge]
        configs:
          api-config: {content: "mode=prod"}
        secrets:
          pg-admin: {environment: PG_ADMIN}
          pg-app: {generate: {length: 32}}
          s3-id: {environment: S3_ID}
          s3-secret: {environment: S3_SECRET}
        services:
          api:
            image: example/api:1.2
            networks: [ingress]
            secrets: [pg-app, s3-id, s3-secret]
            configs: [{source: api-config, target: /app/config}]
            healthcheck:
              test: ["CMD", "wget", "-q", "-O-", "http://127.0.0.1:3000/health"]
              interval: 10s
            deploy:
              replicas: 2
            routes:
              - name: graphql
                subdomain: api
                paths: [/graphql]
                port: 3000
                middlewares:
                  - forward_auth: {address: "http://forward-auth:4181", trust_forward_header: true}
              - {name: web, port: 3000}

        """

    /// Writes the three files into `folder`.
    public static func write(into folder: TemporaryDirectory) throws {
        try folder.write("stack.yaml", stack)
        try folder.write("edge.yaml", edge)
        try folder.write("app.yaml", app)
    }
}
