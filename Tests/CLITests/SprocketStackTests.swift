import Foundation
import SprocketTestSupport
import Testing

/// The Sprocket platform's own spec (`stacks/sprocket`): valid in every environment, planned offline with every
/// service, route, secret, database and bucket of the original, and no hostname or id outside its settings.
@Suite("stacks/sprocket: the platform's spec")
struct SprocketStackTests {
    static var folder: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("stacks/sprocket").path
    }

    static let services = [
        "traefik", "socket-proxy", "forward-auth", "vault", "redis", "rabbitmq", "influx", "loki", "grafana", "telegraf", "gatus",
        "web", "core", "image-generation-frontend", "image-generation-service", "discord-bot", "notification-service",
        "matchmaking-service", "submission-service", "server-analytics-service", "replay-parse-service", "elo-service",
        "dgraph-zero", "dgraph-alpha",
    ]

    @Test("validate passes for prod, staging and local together, with no host claimed twice")
    func validates() async throws {
        let run = try await CLIBinary.runDetached(["validate", "-f", Self.folder, "--all-environments"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("no router or host claimed twice"), "\(run.stdout)")
    }

    @Test("plan --offline lists every service, route, secret, database and bucket", arguments: [
        ("prod", "sprocket.mlesports.gg", "main"), ("staging", "staging.sprocket.mlesports.gg", "staging"), ("local", "sprocket.localhost", "sprocket"),
    ])
    func planOffline(environment: String, apex: String, subdomain: String) async throws {
        let run = try await CLIBinary.runDetached(["plan", "--offline", "-f", Self.folder, "--env", environment])
        #expect(run.status == 0, "\(run.stderr)")
        for service in Self.services {
            #expect(run.stdout.contains("+ service \(service) (sprocket-\(environment)_\(service))"), "service \(service)")
        }
        for host in [apex, "api.\(apex)", "image-generation.\(apex)", "traefik.\(apex)", "grafana.\(apex)", "status.\(apex)"] {
            #expect(run.stdout.contains("Host(`\(host)`)"), "route \(host)")
        }
        for secret in ["jwt-secret", "google-client-secret", "discord-bot-token", "ballchasing-token", "redis-password", "rabbitmq-password",
                       "influx-token", "grafana-admin-password", "pg-app-password", "s3-secret", "vault-token-platform"] {
            #expect(run.stdout.contains("+ secret \(secret) "), "secret \(secret)")
        }
        #expect(run.stdout.contains("+ postgres database sprocket_\(subdomain)") && run.stdout.contains("+ postgres role sprocket_app"))
        for bucket in ["sprocket-\(subdomain)-1", "sprocket-image-gen-\(subdomain)-1", "sprocket-replays-\(subdomain)-1"] {
            #expect(run.stdout.contains("+ s3 bucket \(bucket)"), "bucket \(bucket)")
        }
        if environment == "prod" {
            #expect(run.stdout.contains("TLS letsencrypt") && !run.stdout.contains("plain HTTP"), "prod: Let's Encrypt, HTTPS only")
        } else if environment == "local" {
            #expect(!run.stdout.contains("letsencrypt"), "local: no ACME for localhost")
        }
    }

    @Test("no hostname, address or database id outside stack.yaml's settings")
    func nothingHardCoded() throws {
        let files = try FileManager.default.subpathsOfDirectory(atPath: Self.folder).filter { !$0.hasSuffix("stack.yaml") }
        for file in files {
            guard let text = try? String(contentsOfFile: "\(Self.folder)/\(file)", encoding: .utf8) else { continue }
            for literal in ["mlesports", "digitalocean", "ondigitalocean", "846086564479631372", "856290331279884288"] {
                #expect(!text.contains(literal), "\(file) hard-codes `\(literal)`: it belongs in stack.yaml's settings")
            }
        }
    }
}
