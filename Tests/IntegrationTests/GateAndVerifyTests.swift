import DockerEngine
import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

/// Layer gates and `verify` on the real swarm, through the built binary (exit codes, `--json`).
@Suite("Layer gates and verify on the real swarm", .tags(.integration))
struct GateAndVerifyTests {
    /// The base layer both tests share: a network and a service that only sleeps.
    static let stackYAML = """
        stack: {{stack}}
        settings:
          probe_image: sprocket-local/busybox:latest
        layers: [base, mid, top]
        """

    static let base = """
        networks:
          backend: {}
        services:
          fine:
            image: sprocket-local/busybox:latest
            command: ["sh", "-c", "sleep 100000"]
            networks: [backend]
            stop_grace_period: 1s
            deploy: { endpoint_mode: dnsrr }
        """

    static let top = """
        needs: [mid]
        services:
          last:
            image: sprocket-local/busybox:latest
            command: ["sh", "-c", "sleep 100000"]
            stop_grace_period: 1s
            deploy: { endpoint_mode: dnsrr }
        """

    /// Writes the three layers; `api` holds the keys of the middle layer's service `api` besides its network,
    /// grace period and endpoint mode.
    static func write(to stack: SwarmTestStack, api: String) throws {
        try stack.write("stack.yaml", stackYAML)
        try stack.write("base.yaml", base)
        let keys = (api + "networks: [backend]\nstop_grace_period: 1s\ndeploy: { endpoint_mode: dnsrr }")
            .split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
        try stack.write("mid.yaml", "needs: [base]\ntimeout: 60s\nservices:\n  api:\n" + keys + "\n")
        try stack.write("top.yaml", top)
    }

    /// `sprocketctl <arguments> -f <stack>` with the stack's own state folder and key.
    func cli(_ stack: SwarmTestStack, _ arguments: String...) async throws -> CLIRun {
        let arguments = arguments + ["-f", stack.folder.path]
        let environment = ["SPROCKET_STATE_DIR": "\(stack.stateFolder.path)/\(stack.stackName)/default", "SPROCKET_KEY_FILE": stack.keyFile]
        return try await CLIBinary.runDetached(arguments, environment: environment)
    }

    @Test("a middle layer whose http check sees a 500 stops the run: the third layer is never deployed, the check is named with expected and seen, exit 1")
    func failingGateStopsTheRun() async throws {
        try await SwarmTestStack.with(prefix: "gate") { stack in
            // busybox httpd runs /www/cgi-bin/health as CGI; its `Status: 500` line becomes the response status.
            try Self.write(to: stack, api: """
                image: sprocket-local/busybox:latest
                command:
                  - sh
                  - -c
                  - |
                    mkdir -p /www/cgi-bin
                    printf '#!/bin/sh\\necho "Status: 500 Internal Server Error"\\necho "Content-Type: text/plain"\\necho\\necho broken-body\\n' > /www/cgi-bin/health
                    chmod +x /www/cgi-bin/health
                    exec httpd -f -p 8080 -h /www
                checks:
                  - http: {path: /cgi-bin/health, port: 8080, status: 200, body: ok, retries: 2, interval: 1s}

                """)
            let run = try await cli(stack, "up", "--yes")
            #expect(run.status == 1, "\(run.stderr)")
            #expect(run.stderr.contains(
                "api: http GET /cgi-bin/health on port 8080: expected HTTP 200 with a body containing \"ok\", saw HTTP 500 Internal Server Error with body \"broken-body\" (2 attempts, 1s apart)"),
                "\(run.stderr)")
            #expect(run.stderr.contains("layer base: 2/2 checks passed"), "\(run.stderr)")
            let names = try await stack.services().compactMap(\.spec?.name)
            #expect(!names.contains { $0.hasSuffix("_last") }, "the third layer must never be deployed: \(names)")
            let probes = try await stack.client.listServices(filters: .label(CheckResolver.probeLabel, "true").label(OwnershipLabel.stack, stack.stackName))
            #expect(probes.isEmpty, "probe jobs are removed after use, even when the check fails")
        }
    }

    @Test("verify --json passes on a healthy stack, fails naming a service scaled to 0 by hand, and a forced update changes nothing in the plan")
    func verifyHealthyThenScaledDown() async throws {
        try await SwarmTestStack.with(prefix: "verify") { stack in
            try Self.write(to: stack, api: """
                image: sprocket-local/web:1
                ports:
                  - target: 8080
                    published: 18401
                    mode: host
                healthcheck: {test: "wget -O - http://127.0.0.1:8080/", interval: 1s, timeout: 3s, retries: 3}
                checks:
                  - http: {path: /, body: "version 1"}
                  - tcp
                  - http: {path: /, published: true}

                """)
            try await stack.up(environment: nil)

            let healthy = try await cli(stack, "verify", "--json")
            #expect(healthy.status == 0, "\(healthy.stdout)\(healthy.stderr)")
            let report = try JSONDecoder().decode(VerifyReport.self, from: Data(healthy.stdout.utf8))
            #expect(report.passed)
            // Probe jobs leave nothing behind, not even their task containers (Swarm keeps a finished job's).
            let probeContainers = try await stack.client.listContainers(filters: DockerFilters(["label": [
                "\(CheckResolver.probeLabel)=true", "\(OwnershipLabel.stack)=\(stack.stackName)",
            ]]))
            #expect(probeContainers.isEmpty, "\(probeContainers.count) probe containers left")
            #expect(report.layers.map(\.name) == ["base", "mid", "top"])
            let midChecks = report.layers[1].checks.map(\.check)
            #expect(midChecks == [
                "api: replicas", "api: fewer than 3 restarts in 2m", "api: http GET / on port 8080", "api: tcp on port 8080",
                "api: http GET / on host port 18401", "api: host port 18401 answers", "api: no lingering tasks",
            ])
            #expect(report.layers.flatMap(\.checks).allSatisfy { $0.passed }, "\(report.failures)")

            // `docker service scale api=0`, behind the tool's back.
            let dockerName = "\(stack.stackName)-default_api"
            let api = try await stack.client.inspectService(dockerName)
            var spec = try #require(api.spec)
            spec.mode = .replicated(0)
            try await stack.client.updateService(api.id, version: api.version?.index ?? 0, spec: spec)

            let scaled = try await cli(stack, "verify", "--json")
            #expect(scaled.status == 1, "\(scaled.stderr)")
            let failing = try JSONDecoder().decode(VerifyReport.self, from: Data(scaled.stdout.utf8))
            #expect(!failing.passed)
            #expect(failing.layers.map(\.passed) == [true, false, true])
            let replicas = try #require(failing.failures.first { $0.check == "api: replicas" })
            #expect(replicas.service == "api")
            #expect(replicas.expected == "1 task of the current version running")
            #expect(replicas.seen.contains("0 running; the service is scaled to 0, the spec says 1"), "\(replicas.seen)")
            #expect(failing.failures.allSatisfy { $0.service == "api" }, "\(failing.failures.map(\.check))")

            let text = try await cli(stack, "verify")
            #expect(text.status == 1)
            #expect(text.stdout.contains("FAIL") && text.stdout.contains("api: replicas"), "\(text.stdout)")

            // What `verify --fix` does to a service with lingering tasks: a forced update, which is no spec change.
            spec.mode = .replicated(1)
            let current = try await stack.client.inspectService(dockerName)
            try await stack.client.updateService(current.id, version: current.version?.index ?? 0, spec: spec)
            try await DockerCheckProbe(client: stack.client).forceUpdate(serviceNamed: dockerName)
            #expect(try await stack.client.inspectService(dockerName).spec?.taskTemplate?.forceUpdate == 1)
            #expect(!(try await stack.plan(environment: nil)).hasChanges, "a forced update is not a difference from the spec")
        }
    }
}
