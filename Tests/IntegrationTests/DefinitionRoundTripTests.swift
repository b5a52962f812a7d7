import DockerEngine
import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

/// What `up` sends to Docker and reads back must compare equal, field by field, or every `plan` after an `up`
/// shows a change that is not there. This deploys a service that sets every field the definition carries
/// (update and rollback policies, restart policy, limits and reservations, ulimits, logging, healthcheck,
/// placement, sysctls, capabilities) on the real swarm and plans again.
@Suite("A service with every field round-trips through the real swarm", .tags(.integration))
struct DefinitionRoundTripTests {
    @Test("up, then plan: no change; Docker holds the durations, actions and amounts the spec gave")
    func everyFieldRoundTrips() async throws {
        try await SwarmTestStack.with(prefix: "rt") { stack in
            try stack.write("stack.yaml", "stack: \(stack.stackName)\nlayers: [app]\n")
            try stack.write("app.yaml", """
                networks:
                  backend: {}
                services:
                  box:
                    image: sprocket-local/busybox:latest
                    command: ["sh", "-c", "exec sleep 3600"]
                    environment: {MODE: test}
                    stop_grace_period: 2s
                    init: true
                    cap_add: [NET_ADMIN]
                    cap_drop: [MKNOD]
                    sysctls: {net.core.somaxconn: "1024"}
                    ulimits:
                      nofile: {soft: 1024, hard: 4096}
                    networks: [backend]
                    healthcheck:
                      test: ["CMD", "true"]
                      interval: 5s
                      timeout: 1500ms
                      retries: 2
                      start_period: 1s
                    logging:
                      driver: json-file
                      options: {max-size: 1m}
                    deploy:
                      replicas: 1
                      endpoint_mode: dnsrr
                      resources:
                        limits: {cpus: "0.5", memory: 64M, pids: 100}
                        reservations: {cpus: "0.1", memory: 16M}
                      placement:
                        constraints: [node.role == manager]
                        preferences: [{spread: node.labels.zone}]
                      update_config: {parallelism: 2, delay: 1s, failure_action: rollback, monitor: 2s, max_failure_ratio: 0.5, order: start-first}
                      rollback_config: {parallelism: 1, delay: 500ms, failure_action: continue, order: stop-first}
                      restart_policy: {condition: on-failure, delay: 2s, max_attempts: 3, window: 30s}
                """)
            let first = try await stack.up(environment: nil)
            #expect(first.applied)
            let plan = try await stack.plan(environment: nil)
            #expect(!plan.hasChanges, "plan right after up: \(plan.allChanges.map(\.description))")

            let service = try #require(try await stack.services().first)
            let update = try #require(service.spec?.updateConfig)
            #expect(update.delay == 1_000_000_000 && update.monitor == 2_000_000_000 && update.failureAction == "rollback" && update.order == "start-first")
            let restart = try #require(service.spec?.taskTemplate?.restartPolicy)
            #expect(restart.condition == "on-failure" && restart.delay == 2_000_000_000 && restart.maxAttempts == 3 && restart.window == 30_000_000_000)
            #expect(service.spec?.taskTemplate?.resources?.limits?.pids == 100)
            #expect(service.spec?.rollbackConfig?.delay == 500_000_000)
        }
    }

    @Test("logging with options and no driver: the daemon's default driver takes them (as docker stack deploy sends it), and plan after up shows no change")
    func loggingWithoutDriver() async throws {
        try await SwarmTestStack.with(prefix: "rtlog") { stack in
            try stack.write("compose.yaml", """
                name: \(stack.stackName)
                services:
                  box:
                    image: sprocket-local/busybox:latest
                    command: ["sh", "-c", "exec sleep 3600"]
                    logging:
                      options: {max-size: 1m}
                    deploy: {endpoint_mode: dnsrr}
                """)
            #expect(try await stack.up(environment: nil).applied)
            let plan = try await stack.plan(environment: nil)
            #expect(!plan.hasChanges, "plan right after up: \(plan.allChanges.map(\.description))")
            let service = try #require(try await stack.services().first)
            #expect(service.spec?.taskTemplate?.logDriver?.options == ["max-size": "1m"], "\(String(describing: service.spec?.taskTemplate?.logDriver))")
        }
    }
}
