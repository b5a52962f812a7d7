import Foundation
import SprocketCore
import Testing

/// A running service carries the hash of its definition (the spec-hash label); `plan` compares it with the hash of
/// the spec's definition. If a refactor of the models changed how a definition is encoded, every service of every
/// deployment would show as changed and be updated on the next `up`. This pins the hash of a service that sets
/// every field the definition has.
@Suite("service definition hash stays stable across model changes")
struct ServiceHashStabilityTests {
    static let files: [String: String] = [
        "stack.yaml": "stack: pin\nlayers: [app]\n",
        "app.yaml": """
            networks:
              backend: {}
            volumes:
              data: {}
            secrets:
              token: {environment: PIN_TOKEN}
            configs:
              settings: {file: settings.json}
            services:
              api:
                image: registry.example/api:1.2
                entrypoint: ["/bin/api"]
                command: ["serve", "--port", "8080"]
                environment: {MODE: prod, LEVEL: debug}
                labels: {team: core}
                user: "1000:1000"
                working_dir: /srv
                hostname: api-host
                stop_signal: SIGINT
                stop_grace_period: 20s
                init: true
                read_only: true
                tty: false
                cap_add: [NET_ADMIN]
                cap_drop: [ALL]
                dns: [10.0.0.2]
                dns_search: [svc.local]
                extra_hosts: ["db.local:10.0.0.5"]
                sysctls: {net.core.somaxconn: "1024"}
                ulimits:
                  nofile: {soft: 1024, hard: 4096}
                networks:
                  backend: {aliases: [api-internal]}
                volumes:
                  - data:/var/lib/api
                  - type: tmpfs
                    target: /tmp
                ports:
                  - target: 8080
                    published: 18080
                    mode: host
                secrets:
                  - source: token
                    target: /run/secrets/api-token
                    mode: 0400
                configs:
                  - source: settings
                    target: /etc/api/settings.json
                healthcheck:
                  test: ["CMD", "/bin/api", "health"]
                  interval: 10s
                  timeout: 2s
                  retries: 4
                  start_period: 30s
                logging:
                  driver: json-file
                  options: {max-size: 10m}
                deploy:
                  replicas: 3
                  endpoint_mode: dnsrr
                  resources:
                    limits: {cpus: "0.5", memory: 256M, pids: 200}
                    reservations: {cpus: "0.25", memory: 128M}
                  placement:
                    constraints: [node.role == worker]
                    preferences: [{spread: node.labels.zone}]
                    max_replicas_per_node: 2
                  update_config: {parallelism: 2, delay: 5s, failure_action: rollback, monitor: 30s, max_failure_ratio: 0.1, order: start-first}
                  rollback_config: {parallelism: 1, delay: 1s, failure_action: pause, order: stop-first}
                  restart_policy: {condition: on-failure, delay: 3s, max_attempts: 5, window: 60s}
            """,
        "settings.json": "{}\n",
    ]

    @Test("the spec hash of a service setting every field is the one recorded before the model changes")
    func pinned() throws {
        let spec = try TemporarySpec(Self.files)
        defer { spec.remove() }
        let desired = DesiredStateBuilder(stack: try spec.load(), secrets: [:]).build()
        let service = try #require(desired.layers.first?.services.first)
        let definition = service.definition
        // Every part is set, so a change in how any of them encodes moves the hash.
        #expect(definition.healthcheck?.retries == 4 && definition.logDriver?.options == ["max-size": "10m"])
        #expect(definition.limits?.pids == 200 && definition.reservations?.memoryBytes == 128 * 1024 * 1024)
        #expect(definition.updateConfig?.maxFailureRatio == 0.1 && definition.rollbackConfig?.parallelism == 1)
        #expect(definition.restartPolicy?.maxAttempts == 5 && definition.ulimits.count == 1 && definition.sysctls.count == 1)
        #expect(definition.mounts.count == 2 && definition.secrets.count == 1 && definition.configs.count == 1 && definition.ports.count == 1)
        #expect(definition.stopGracePeriodNanoseconds == 20_000_000_000 && definition.maxReplicasPerNode == 2 && definition.spreadPreferences.count == 1)
        #expect(service.specHash == Self.pinnedHash, "the definition encodes differently: every deployed service would be updated")
    }

    static let pinnedHash = "69b1cb08f68df9c51fe4af07b25fe40bd29d1d702d8a1cb8cc3ff12f46c42cf2"
}
