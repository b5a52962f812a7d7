import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

@testable import SprocketCLI

@Suite("DoctorConfigChecks: unused configs, hard-coded addresses, Gatus targets")
struct DoctorConfigChecksTests {
    static func redis(command: String?, target: String = "/usr/local/etc/redis/redis.conf") throws -> StackSpec {
        try DoctorSpecFixture.load(app: """
            configs:
              redis-conf: {content: "maxmemory 100mb"}
            services:
              redis:
                image: redis:7
            \(command.map { "    command: \($0)\n" } ?? "")    configs: [{source: redis-conf, target: \(target)}]
            """)
    }

    @Test("#27: a config the explicit command never names warns with service, config and path", arguments: [
        ("[redis-server, --appendonly, \"yes\"]", true),
        ("[redis-server, /usr/local/etc/redis/redis.conf]", false),
        ("[redis-server, --include, /usr/local/etc/redis]", false),
        (nil, false),
    ] as [(String?, Bool)])
    func unusedConfig(command: String?, warns: Bool) throws {
        let result = DoctorConfigUsageChecks(stack: try Self.redis(command: command)).unreferencedConfigs()
        #expect(result.status == (warns ? .warn : .ok), "\(result)")
        if warns {
            #expect(result.details.first?.contains("redis: config redis-conf is mounted at /usr/local/etc/redis/redis.conf") == true)
        }
    }

    @Test("#27: a config inside the application folder the command runs from is taken as read")
    func applicationFolder() throws {
        let stack = try Self.redis(command: "[node, /app/core/main.js]", target: "/app/config/production.json")
        #expect(DoctorConfigUsageChecks(stack: stack).unreferencedConfigs().status == .ok)
    }

    @Test("#15, #22: a gateway IP in the environment and an IP in a config warn; names, settings, loopback and CIDR ranges pass")
    func addresses() throws {
        let stack = try DoctorSpecFixture.load(
            stack: "stack: doc\nsettings: {lan_ip: 192.168.1.20}\n",
            app: """
                configs:
                  fluent: {content: "host 10.0.14.17\\ntrusted 10.0.0.0/8\\nlisten 0.0.0.0"}
                services:
                  app:
                    image: example/app:1
                    environment: {LOG_HOST: 172.18.0.1, LAN: "${lan_ip}", RABBIT: rabbitmq, LOCAL: 127.0.0.1}
                    configs: [fluent]
                """)
        let result = DoctorConfigUsageChecks(stack: stack).hardCodedAddresses()
        #expect(result.status == .warn)
        #expect(result.details.count == 2, "\(result.details)")
        #expect(result.details.contains { $0.contains("app environment LOG_HOST") && $0.contains("172.18.0.1 (a Docker bridge gateway") })
        #expect(result.details.contains { $0.hasPrefix("config fluent") && $0.hasSuffix("10.0.14.17") })

        let clean = try DoctorSpecFixture.load(app: "services:\n  app:\n    image: example/app:1\n    environment: {LOG_HOST: loki}\n")
        #expect(DoctorConfigUsageChecks(stack: clean).hardCodedAddresses().status == .ok)
    }

    static func gatus(_ url: String) throws -> StackSpec {
        try DoctorSpecFixture.load(
            stack: "stack: doc\nrouting: {domain: example.org, subdomain: main, network: edge, access: [public]}\n",
            app: """
                networks: {edge: {driver: overlay}}
                configs:
                  gatus-config: {content: "endpoints:\\n  - {name: api, url: \\"\(url)\\", interval: 1m}\\n"}
                services:
                  api:
                    image: example/api:1
                    networks: [edge]
                    routes: [{subdomain: api, port: 3000}]
                  gatus:
                    image: twinproduction/gatus:v5.13.1
                    networks: [edge]
                    configs: [{source: gatus-config, target: /config/config.yaml}]
                """)
    }

    @Test("#26: Gatus watching a host no route serves warns; a routed host or a service name passes", arguments: [
        ("https://app.sprocket.gg/health", true), ("http://178.128.133.209/", true),
        ("https://api.example.org/healthz", false), ("http://api:3000/health", false),
    ])
    func monitoring(url: String, warns: Bool) throws {
        let result = DoctorMonitoringChecks(stack: try Self.gatus(url)).watchedHosts()
        #expect(result.status == (warns ? .warn : .ok), "\(result)")
        if warns { #expect(result.details.first?.contains(url) == true) }
    }

    @Test("#26: a credential in a monitored URL is not printed")
    func monitoringMasksCredentials() throws {
        let result = DoctorMonitoringChecks(stack: try Self.gatus("https://probe:pw-canary-42@old.example.net/health")).watchedHosts()
        #expect(result.status == .warn)
        #expect(result.details.first?.contains("https://old.example.net/health") == true && result.details.allSatisfy { !$0.contains("pw-canary-42") })
    }
}
