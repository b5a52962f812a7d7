import DockerEngine
import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

/// A Compose file whose services name no network deploys as `docker stack deploy` deploys it: every service joins
/// the project's `default` overlay, and they reach each other by service name.
@Suite("A Compose file without networks on the real swarm", .tags(.integration))
struct ComposeDefaultNetworkTests {
    @Test("two services with no networks: both join <stack>-<env>_default, the client reaches web by its name, a second up changes nothing")
    func servicesReachEachOther() async throws {
        try await SwarmTestStack.with(prefix: "cdn") { stack in
            // dnsrr: this machine has no IPVS for Swarm's virtual IPs (ENVIRONMENT.md); names resolve either way.
            try stack.write("compose.yaml", """
                name: \(stack.stackName)
                services:
                  web:
                    image: sprocket-local/busybox:latest
                    command: ["sh", "-c", "mkdir -p /www && echo reached-web > /www/index.html && exec httpd -f -p 8080 -h /www"]
                    deploy: {endpoint_mode: dnsrr}
                  client:
                    image: sprocket-local/busybox:latest
                    command: ["sh", "-c", "while true; do wget -qO- http://web:8080/ || echo unreachable; sleep 1; done"]
                    deploy: {endpoint_mode: dnsrr}
                """)
            let plan = try await stack.plan(environment: nil)
            #expect(plan.allChanges.contains { $0.description.contains("network") && $0.description.contains("default") },
                    "plan lists the default network: \(plan.allChanges.map(\.description))")
            let first = try await stack.up(environment: nil)
            #expect(first.applied)
            let networks = try await stack.networks().compactMap(\.name)
            #expect(networks.contains("\(stack.stackName)-default_default"), "\(networks)")
            let services = try await stack.services()
            for service in services {
                let attached = service.spec?.taskTemplate?.networks ?? []
                #expect(attached.count == 1, "\(service.spec?.name ?? ""): \(attached)")
            }
            let client = try #require(services.first { ($0.spec?.name ?? "").hasSuffix("_client") })
            var reached = false
            for _ in 0..<30 where !reached {
                reached = try await stack.client.serviceLogs(client.id, tail: 20).map(\.text).contains { $0.contains("reached-web") }
                if !reached { try await Task.sleep(for: .seconds(1)) }
            }
            #expect(reached, "the client reaches web by its service name on the default network")
            let second = try await stack.up(environment: nil)
            #expect(!second.plan.hasChanges, "\(second.plan.allChanges.map(\.description))")
        }
    }
}
