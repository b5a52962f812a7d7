import SprocketCore
import Testing

@testable import SprocketCLI

@Suite("DoctorNodeChecks: IPVS and what its absence means for the stack")
struct DoctorNodeChecksTests {
    static let missing = NodePreflight.Finding(check: "IPVS", status: .warning, detail: "missing", hint: "modprobe ip_vs")
    static let present = NodePreflight.Finding(check: "IPVS", status: .ok, detail: "present")

    static func stack(endpointMode: String, portMode: String) throws -> StackSpec {
        try DoctorSpecFixture.load(app: """
            services:
              api:
                image: example/api:1
                ports: [{target: 8080, published: 18080, mode: \(portMode)}]
                deploy: {endpoint_mode: \(endpointMode)}
              worker:
                image: example/worker:1
                deploy: {endpoint_mode: dnsrr}
            """)
    }

    @Test("IPVS missing: FAIL naming each virtual IP and ingress port, warn when the stack needs neither, ok when present")
    func ipvs() throws {
        let relying = DoctorNodeChecks(stack: try Self.stack(endpointMode: "vip", portMode: "ingress"), ipvs: Self.missing).ipvsCheck()
        #expect(relying.status == .fail && relying.message.contains("IPVS is missing") && relying.message.contains("2 uses"), "\(relying)")
        #expect(relying.details == [
            "api: endpoint_mode vip (its name resolves to a virtual IP)", "api: port 18080 published in ingress mode (routing mesh)",
        ])
        #expect(relying.hint?.contains("endpoint_mode: dnsrr") == true)

        let independent = DoctorNodeChecks(stack: try Self.stack(endpointMode: "dnsrr", portMode: "host"), ipvs: Self.missing).ipvsCheck()
        #expect(independent.status == .warn && independent.message.contains("so it works here"), "\(independent)")

        let fine = DoctorNodeChecks(stack: try Self.stack(endpointMode: "vip", portMode: "ingress"), ipvs: Self.present).ipvsCheck()
        #expect(fine.status == .ok)
    }
}
