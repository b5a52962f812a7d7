import Testing
@testable import SprocketCore

/// ``SpecValidator`` also checks specs built in code, without the loader.
@Suite("Validating a spec built in code")
struct SpecValidatorTests {
    static func location(_ line: Int) -> SprocketCore.SourceLocation { SourceLocation(file: "code", line: line, column: 1) }

    static func stack(_ layers: [LayerSpec], name: String = "demo", environment: String = "dev") -> StackSpec {
        StackSpec(name: name, environment: environment, layers: layers, rootDirectory: "/", location: location(1))
    }

    static func service(_ name: String, line: Int, _ configure: (inout ServiceSpec) -> Void = { _ in }) -> ServiceSpec {
        var service = ServiceSpec(name: name, image: "nginx", location: location(line))
        configure(&service)
        return service
    }

    @Test("a consistent spec has no diagnostics")
    func validSpec() {
        let edge = LayerSpec(name: "edge", networks: [NetworkSpec(name: "front", location: Self.location(2))], location: Self.location(2))
        let app = LayerSpec(
            name: "app", needs: [LayerReference(name: "edge", location: Self.location(3))],
            secrets: [SecretSpec(name: "key", source: .generate(length: 32, alphabet: .hex), location: Self.location(4))],
            services: [Self.service("web", line: 5) {
                $0.networks = [NetworkAttachment(name: "front", location: Self.location(6))]
                $0.secrets = [FileReference(source: "key", location: Self.location(7))]
                $0.ports = [PortSpec(target: 80, published: 8080, location: Self.location(8))]
                $0.deploy.replicas = 0
            }],
            location: Self.location(3))
        #expect(SpecValidator.validate(Self.stack([edge, app])) == [])
    }

    @Test("each problem is reported once, at the element it is about")
    func problems() {
        let edge = LayerSpec(
            name: "edge", needs: [LayerReference(name: "app", location: Self.location(10))],
            networks: [NetworkSpec(name: "front", location: Self.location(11))],
            services: [Self.service("proxy", line: 12) { $0.ports = [PortSpec(target: 80, published: 80, location: Self.location(13))] }],
            location: Self.location(10))
        let app = LayerSpec(
            name: "app", needs: [LayerReference(name: "edge", location: Self.location(20)), LayerReference(name: "dta", location: Self.location(21))],
            timeout: .zero,
            networks: [NetworkSpec(name: "front", location: Self.location(22))],
            secrets: [SecretSpec(name: "pin", source: .generate(length: 7, alphabet: .custom("zz")), location: Self.location(23))],
            services: [Self.service("Web", line: 24) {
                $0.image = ""
                $0.ports = [PortSpec(target: 8080, published: 80, location: Self.location(25))]
                $0.mounts = [MountSpec(kind: .bind, source: "data", target: "srv", location: Self.location(26))]
                $0.deploy = DeploySpec(mode: .global, replicas: 3, resources: ResourcesSpec(limits: ResourceAmounts(nanoCPUs: 0)))
                $0.secrets = [FileReference(source: "pni", location: Self.location(27))]
            }],
            location: Self.location(20))
        let diagnostics = SpecValidator.validate(Self.stack([edge, app], name: "9lives"))
        let lines = Dictionary(grouping: diagnostics) { $0.location.line }.mapValues { $0.map(\.message) }
        #expect(lines[1] == ["invalid stack name `9lives`"])
        #expect(lines[20] == ["the timeout of layer `app` must be positive", "`needs` forms a cycle: edge -> app -> edge"])
        #expect(lines[21] == ["layer `app` needs the undefined layer `dta`"])
        #expect(lines[22] == ["network `front` is declared in layers `edge` and `app`"])
        #expect(lines[23] == ["generated secret `pin` has length 7, outside 8...4096", "the alphabet of secret `pin` has fewer than 2 distinct characters"])
        #expect(lines[24]?.contains("invalid service name `Web`") == true)
        #expect(lines[24]?.contains("service `Web` has no `image`") == true)
        #expect(lines[24]?.contains("`deploy.replicas` is set on the global service `Web`") == true)
        #expect(lines[24]?.contains("`deploy.resources.limits.cpus` of service `Web` must be positive") == true)
        #expect(lines[25] == ["host port 80/tcp is published by services `proxy` and `Web`"])
        #expect(lines[26] == ["mount target `srv` in service `Web` is not an absolute path",
                              "bind mount source `data` in service `Web` is not an absolute path"])
        #expect(lines[27] == ["service `Web` uses the undefined secret `pni`"])
        #expect(diagnostics.first { $0.location.line == 27 }?.hint == "did you mean `pin`?")
        #expect(diagnostics.allSatisfy { $0.severity == .error && $0.hint != nil })
    }

    @Test("secrets and configs land at Docker's default paths unless the target is absolute", arguments: [
        (nil, "/run/secrets/db", "/db"), ("password", "/run/secrets/password", "/password"), ("/etc/db", "/etc/db", "/etc/db"),
    ] as [(String?, String, String)])
    func defaultTargets(target: String?, secret: String, config: String) {
        let reference = FileReference(source: "db", target: target, location: Self.location(1))
        #expect(ServiceCheck.secretTarget(reference) == secret)
        #expect(ServiceCheck.configTarget(reference) == config)
    }

    @Test("name rules", arguments: [
        ("web", true, true), ("web-1.api_x", true, false), ("9lives", true, false), ("-web", false, false), ("Web", false, false),
        ("a", true, true), (String(repeating: "a", count: 32), true, false), ("", false, false),
    ])
    func names(name: String, isResource: Bool, isStack: Bool) {
        #expect(SpecNameRules.isResourceName(name) == isResource)
        #expect(SpecNameRules.isStackName(name) == isStack)
    }
}
