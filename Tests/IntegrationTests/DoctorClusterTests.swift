import DockerEngine
import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

/// `doctor`'s cluster checks against the real swarm: a service the spec no longer declares (an orphan), and a
/// router name that two running services define after a hand edit (docs/pain-points.md #19, #20).
@Suite("doctor on the real swarm: orphans and duplicate routers", .tags(.integration))
struct DoctorClusterTests {
    static func spec(withOldAPI: Bool) -> String {
        let service = { (name: String, router: String) in
            """
              \(name):
                image: sprocket-local/busybox:latest
                command: ["sh", "-c", "sleep 100000"]
                stop_grace_period: 1s
                deploy:
                  endpoint_mode: dnsrr
                  labels: {traefik.http.routers.\(router).rule: "Host(`\(router).doctor.test`)"}

            """
        }
        return "services:\n" + service("api", "web") + (withOldAPI ? service("old-api", "legacy") : "")
    }

    @Test("an orphaned service and a router defined by two services fail, naming them; the deployed spec alone passes")
    func orphansAndDuplicateRouters() async throws {
        try await SwarmTestStack.with(prefix: "doctor") { stack in
            try stack.write("stack.yaml", "stack: {{stack}}\nlayers: [app]\n")
            try stack.write("app.yaml", Self.spec(withOldAPI: true))
            try await stack.up(environment: nil)
            let doctor = {
                try await CLIBinary.runDetached(
                    ["doctor", "--json", "-f", stack.folder.path, "--state-dir", "\(stack.stateFolder.path)/doctor"],
                    environment: ["SPROCKET_KEY_FILE": stack.keyFile])
            }
            let deployed = try await Self.checks(doctor())
            #expect(deployed["orphan-services"]?.status == "ok" && deployed["duplicate-routers"]?.status == "ok", "\(deployed)")

            // A hand edit gives old-api the router of api (as the original's leftover services did), then the spec drops old-api.
            let identity = StackIdentity(stack: stack.stackName, environment: "default")
            let old = try #require(try await stack.services().first { $0.spec?.name == identity.objectName("old-api") })
            var spec = try #require(old.spec)
            spec.labels?["traefik.http.routers.web.rule"] = "Host(`web.doctor.test`)"
            try await stack.client.updateService(old.id, version: old.version?.index ?? 0, spec: spec)
            try stack.write("app.yaml", Self.spec(withOldAPI: false))

            let stale = try await Self.checks(doctor())
            #expect(stale["orphan-services"]?.status == "FAIL", "\(stale)")
            #expect(stale["orphan-services"]?.details == ["\(identity.objectName("old-api")) (layer app, service old-api): routers http legacy, http web"])
            #expect(stale["duplicate-routers"]?.status == "FAIL")
            #expect(stale["duplicate-routers"]?.details == ["http web: \(identity.objectName("api")) and \(identity.objectName("old-api"))"])
        }
    }

    struct Check {
        var status: String
        var details: [String]
    }

    static func checks(_ run: CLIRun) throws -> [String: Check] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout)\(run.stderr)")
        var checks: [String: Check] = [:]
        for check in object["checks"] as? [[String: Any]] ?? [] {
            checks[check["name"] as? String ?? ""] = Check(status: check["status"] as? String ?? "", details: check["details"] as? [String] ?? [])
        }
        return checks
    }
}
