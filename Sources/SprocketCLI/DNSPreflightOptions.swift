import ArgumentParser
import LetsEncrypt
import SprocketCore

/// Where the DNS preflight of the production CA gets its answers and what they must point at; shared by `up` and
/// `acme check`.
struct DNSPreflightOptions: ParsableArguments {
    @Option(
        name: .customLong("node-address"),
        help: "A public address of the ingress node (repeat for IPv4 and IPv6); default: the spec's `routing.public_ip`.")
    var nodeAddresses: [String] = []

    @Option(name: .customLong("dns-server"), help: "The DNS server to ask, host[:port] (default: the first nameserver in /etc/resolv.conf).")
    var dnsServer: String?

    @Option(name: .customLong("hosts-file"), help: "A hosts-format file whose A/AAAA answers override DNS (for tests and split-horizon setups).")
    var hostsFile: String?

    /// The addresses ACME hosts must resolve to: the command line's, else the spec's `routing.public_ip`.
    func addresses(of routing: RoutingSpec) throws -> [IPAddress] {
        let texts = nodeAddresses.isEmpty ? routing.publicAddresses : nodeAddresses
        return try texts.map { text in
            guard let address = IPAddress(text) else {
                throw ValidationError("--node-address \(text) is not an IPv4 or IPv6 address")
            }
            return address
        }
    }

    /// The preflight to run, or nil when no address of the ingress node is known.
    func preflight(for routing: RoutingSpec) throws -> ACMEPreflight? {
        let nodes = try addresses(of: routing)
        guard !nodes.isEmpty else { return nil }
        return ACMEPreflight(resolver: try resolver(), nodeAddresses: nodes)
    }

    func resolver() throws -> any DNSResolver {
        let base = try dnsServer.map { UDPDNSResolver(server: try DNSServerAddress(parsing: $0)) } ?? UDPDNSResolver.system()
        return try hostsFile.map { try HostsFileResolver(path: $0, fallback: base) } ?? base
    }
}
