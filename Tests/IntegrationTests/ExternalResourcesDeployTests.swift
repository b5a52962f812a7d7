import Foundation
import Logging
import S3
import SprocketTestSupport
import Testing

/// `plan`, `up`, `status` and `down` of a stack that declares a managed PostgreSQL (a real server started for the
/// test, with an admin that is not a superuser) and S3 buckets (moto), through the built binary on the real swarm.
@Suite("up provisions PostgreSQL and S3 next to the layers", .tags(.integration))
struct ExternalResourcesDeployTests {
    static func write(_ stack: SwarmTestStack, pg: PostgresTestServer, moto: MotoServer, names: (role: String, database: String, bucket: String)) throws {
        try stack.write("stack.yaml", """
            stack: {{stack}}
            layers: [app]
            postgres:
              host: \(pg.host)
              port: \(pg.port)
              database: postgres
              sslmode: require
              admin: {user: \(pg.adminUser), password_secret: pg-admin}
              roles:
                \(names.role): {password_secret: pg-app, connection_limit: 5}
              databases:
                \(names.database): {owner: \(names.role)}
            s3:
              endpoint: \(moto.endpoint)
              region: us-east-1
              path_style: true
              credentials: {access_key_secret: s3-id, secret_key_secret: s3-secret}
              buckets:
                \(names.bucket):
                  versioning: true
                  lifecycle: [{prefix: tmp/, expire_days: 7}]
                  consumers: [app-svc]
            """)
        try stack.write("app.yaml", """
            secrets:
              pg-admin: {environment: PG_ADMIN}
              pg-app: {environment: PG_APP}
              s3-id: {environment: S3_ID}
              s3-secret: {environment: S3_SECRET}
            services:
              app-svc:
                image: sprocket-local/busybox:latest
                command: ["sleep", "100000"]
                stop_grace_period: 1s
                secrets: [pg-app, s3-id, s3-secret]
                deploy: { endpoint_mode: dnsrr }
            """)
    }


    func mountedSecretName(_ stack: SwarmTestStack) async throws -> String? {
        try await stack.services().first { $0.spec?.name?.hasSuffix("_app-svc") == true }?.spec?.taskTemplate?.containerSpec?.secrets?
            .first { $0.secretName?.contains("_pg-app_") == true }?.secretName
    }

    @Test("plan lists them offline; up provisions them, then changes nothing; a rotated password alters the role and rolls its consumer; down keeps the data")
    func lifecycle() async throws {
        let pg = try await PostgresTestServer.start()
        let moto: MotoServer
        do { moto = try await MotoServer.start() } catch {
            await pg.stop()
            throw error
        }
        defer { moto.stop() }
        do {
            try await SwarmTestStack.with(prefix: "ext") { stack in
                let suffix = stack.stackName.replacingOccurrences(of: "-", with: "_")
                let names = (role: "role_\(suffix)", database: "db_\(suffix)", bucket: "bucket-\(stack.stackName)")
                try Self.write(stack, pg: pg, moto: moto, names: names)
                let first = "canary-first-\(UUID().uuidString)"
                var environment = ["PG_ADMIN": pg.adminPassword, "PG_APP": first, "S3_ID": "testing", "S3_SECRET": "testing-secret"]

                let offline = try await stack.sprocketctl(["plan", "--offline"], environment: environment)
                #expect(offline.stdout.contains("+ postgres database \(names.database)") && offline.stdout.contains("+ s3 bucket \(names.bucket)"),
                        "\(offline.stdout)\(offline.stderr)")

                let up = try await stack.sprocketctl(["up", "--yes", "--json"], environment: environment)
                #expect(up.status == 0, "\(up.stdout)\(up.stderr)")
                #expect(up.stdout.contains(#""system":"postgres""#) && up.stdout.contains(#""system":"s3""#), "\(up.stdout)")
                #expect(up.stdout.contains("postgres login \(names.role)") && up.stdout.contains("check-passed"), "the gate logged in as the role")
                #expect(try await pg.superuser("SELECT datname FROM pg_database WHERE datname = '\(names.database)'") == names.database)

                let again = try await stack.sprocketctl(["up", "--yes", "--json"], environment: environment)
                #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
                #expect(!again.stdout.contains("external-applied"), "a second up changes nothing outside Docker: \(again.stdout)")
                let before = try await mountedSecretName(stack)

                let second = "canary-second-\(UUID().uuidString)"
                environment["PG_APP"] = second
                let rotated = try await stack.sprocketctl(["up", "--yes", "--json"], environment: environment)
                #expect(rotated.status == 0, "\(rotated.stdout)\(rotated.stderr)")
                #expect(rotated.stdout.contains("password changed"), "\(rotated.stdout)")
                let after = try await mountedSecretName(stack)
                #expect(before != nil && after != nil && before != after, "the consumer now mounts the new password's secret")

                let status = try await stack.sprocketctl(["status", "--json"], environment: environment)
                #expect(status.stdout.contains(#""external""#) && status.stdout.contains(names.bucket), "\(status.stdout)\(status.stderr)")

                let down = try await stack.sprocketctl(["down", "--yes"], environment: environment)
                #expect(down.status == 0, "\(down.stderr)")
                #expect(down.stderr.contains("kept:"), "\(down.stderr)")
                #expect(try await pg.superuser("SELECT datname FROM pg_database WHERE datname = '\(names.database)'") == names.database)
                let s3 = S3Client(
                    configuration: S3ClientConfiguration(endpoint: moto.endpoint, region: "us-east-1", pathStyle: true),
                    credentials: S3Credentials(accessKeyID: "testing", secretAccessKey: "testing-secret"), logger: Logger(label: "it"))
                #expect(try await s3.bucketExists(names.bucket))

                for output in [offline, up, again, rotated, status, down] {
                    for canary in [first, second, pg.adminPassword, "testing-secret"] {
                        #expect(!output.stdout.contains(canary) && !output.stderr.contains(canary), "a secret value leaked")
                    }
                }
                _ = try? await pg.superuser("DROP DATABASE IF EXISTS \(names.database)")
                _ = try? await pg.superuser("DROP ROLE IF EXISTS \(names.role)")
            }
        } catch {
            await pg.stop()
            throw error
        }
        await pg.stop()
    }
}
