import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

@testable import SprocketCLI

/// Loads a small stack written into a temporary folder, for the pure `doctor` checks.
enum DoctorSpecFixture {
    /// `stack.yaml` gets `layers: [app]` appended (`[edge, app]` when `edge` is given); `app` and `edge` are the layer files.
    static func load(
        stack: String = "stack: doc\n", edge: String? = nil, app: String, files: [String: String] = [:], environment: String? = nil
    ) throws -> StackSpec {
        let folder = try TemporaryDirectory(prefix: "doctor-spec")
        defer { folder.remove() }
        try folder.write("stack.yaml", stack + (stack.hasSuffix("\n") ? "" : "\n") + (edge == nil ? "layers: [app]\n" : "layers: [edge, app]\n"))
        if let edge { try folder.write("edge.yaml", edge) }
        try folder.write("app.yaml", app)
        for (name, text) in files { try folder.write(name, text) }
        return try SpecLoader(processEnvironment: [:]).load(path: folder.path, environment: environment)
    }

    static func result(_ results: [DoctorCheckResult], _ name: String) throws -> DoctorCheckResult {
        try #require(results.first { $0.name == name }, "no result named \(name) in \(results.map(\.name))")
    }
}

@Suite("DoctorSecretChecks: plaintext secrets, TLS switches, collisions and credential sources")
struct DoctorSecretChecksTests {
    /// Short and memorable, so `validate`'s entropy-based leak guard lets it through: exactly what these checks are for.
    static let password = "hunter2x"

    @Test("#11: literal passwords in env, --requirepass in a command, a credential label and a URL with a password fail; the value never appears")
    func plaintextFails() throws {
        let stack = try DoctorSpecFixture.load(app: """
            services:
              api:
                image: example/api:1
                environment: {DB_PASSWORD: \(Self.password), PGPASSWORD: \(Self.password), DATABASE_URL: "postgres://app:\(Self.password)@db:5432/app"}
                deploy: {labels: {backup.token: \(Self.password)}}
              redis:
                image: redis:7
                command: [redis-server, --requirepass, \(Self.password)]
            """)
        let result = DoctorSecretHygieneChecks(stack: stack).plaintextSecrets()
        #expect(result.status == .fail)
        let details = result.details.joined(separator: "\n")
        for expected in ["api: environment DB_PASSWORD", "api: environment PGPASSWORD", "api: environment DATABASE_URL", "`app`", "api: label backup.token", "redis: `command` passes --requirepass"] {
            #expect(details.contains(expected), "\(expected) in \(details)")
        }
        #expect(result.details.count == 5)
        #expect(!"\(result.message)\(details)\(result.hint ?? "")".contains(Self.password))
    }

    @Test("#11: references to files and variables, non-secret names and flags pass")
    func plaintextPasses() throws {
        let stack = try DoctorSpecFixture.load(app: """
            services:
              api:
                image: example/api:1
                environment: {DB_PASSWORD_FILE: /run/secrets/db, TOKEN_TTL: "3600", DB_HOST: db, REDIS_URL: "redis://redis:6379/0", PASSWORD_REQUIRED: "true"}
              redis:
                image: redis:7
                command: [sh, -c, "redis-server --requirepass \\"$$(cat /run/secrets/redis)\\""]
            """)
        let result = DoctorSecretHygieneChecks(stack: stack).plaintextSecrets()
        #expect(result.status == .ok, "\(result.details)")
    }

    @Test("#31: switches that turn TLS verification off fail, the safe values pass", arguments: [
        ("NODE_TLS_REJECT_UNAUTHORIZED", "\"0\"", true), ("NODE_TLS_REJECT_UNAUTHORIZED", "\"1\"", false),
        ("GIT_SSL_NO_VERIFY", "\"true\"", true), ("REDIS_TLS_SKIP_VERIFY", "\"false\"", false), ("PGSSL_VERIFY", "\"false\"", true),
    ])
    func tlsVerification(variable: String, value: String, fails: Bool) throws {
        let stack = try DoctorSpecFixture.load(app: "services:\n  bot:\n    image: example/bot:1\n    environment: {\(variable): \(value)}\n")
        let result = DoctorSecretHygieneChecks(stack: stack).tlsVerification()
        #expect(result.status == (fails ? .fail : .ok), "\(result)")
        if fails { #expect(result.details.first?.contains("bot: \(variable)") == true) }
    }

    static let manifestStack = """
        stack: doc
        doppler: {project: sprocket, config: prd}
        vault: {address: "http://127.0.0.1:8200", layer: edge, mounts: [platform]}

        """

    static func manifest(_ secrets: String) -> String { manifestStack + "secrets:\n" + secrets }

    static let twoServices = "services:\n  api: {image: example/api:1}\n  worker: {image: example/worker:1}\n"
    /// Vault's layer, before the consumers of Vault-backed secrets.
    static let vaultLayer = "services:\n  vault: {image: hashicorp/vault:1.18}\n"

    @Test("#8: two manifest secrets writing one Vault field fail, naming both; different fields pass")
    func vaultWriters() throws {
        let shared = try DoctorSpecFixture.load(stack: Self.manifest("""
              redis-a: {generate: {length: 32}, vault: "platform/redis#password", consumers: [api]}
              redis-b: {generate: {length: 32}, vault: "platform/redis#password", consumers: [worker]}
            """), edge: Self.vaultLayer, app: Self.twoServices)
        let result = DoctorSecretCollisionChecks(stack: shared).sharedVaultFields()
        #expect(result.status == .fail)
        #expect(result.details.first?.contains("platform/redis#password: redis-a") == true && result.details.first?.contains("redis-b") == true)

        let apart = try DoctorSpecFixture.load(stack: Self.manifest("""
              redis-a: {generate: {length: 32}, vault: "platform/redis#a", consumers: [api]}
              redis-b: {generate: {length: 32}, vault: "platform/redis#b", consumers: [worker]}
            """), edge: Self.vaultLayer, app: Self.twoServices)
        #expect(DoctorSecretCollisionChecks(stack: apart).sharedVaultFields().status == .ok)
    }

    @Test("#28: one credential from two different sources fails; from the same source twice warns; once passes")
    func credentialSources() throws {
        let conflicting = try DoctorSpecFixture.load(stack: Self.manifest("""
              jwt: {doppler: {name: JWT_SECRET}, consumers: [api]}
              jwt-worker: {environment: JWT_SECRET, consumers: [worker]}
            """), edge: Self.vaultLayer, app: Self.twoServices)
        let failed = DoctorSecretCollisionChecks(stack: conflicting).credentialSources()
        #expect(failed.status == .fail)
        #expect(failed.details == ["JWT_SECRET: jwt (doppler sprocket/prd JWT_SECRET), jwt-worker (environment JWT_SECRET)"])

        let repeated = try DoctorSpecFixture.load(stack: Self.manifest("""
              jwt: {environment: JWT_SECRET, consumers: [api]}
              jwt-worker: {environment: JWT_SECRET, consumers: [worker]}
            """), edge: Self.vaultLayer, app: Self.twoServices)
        #expect(DoctorSecretCollisionChecks(stack: repeated).credentialSources().status == .warn)

        let once = try DoctorSpecFixture.load(stack: Self.manifest("  jwt: {doppler: {name: JWT_SECRET}, consumers: [api, worker]}\n"), edge: Self.vaultLayer, app: Self.twoServices)
        #expect(DoctorSecretCollisionChecks(stack: once).credentialSources().status == .ok)
    }
}
