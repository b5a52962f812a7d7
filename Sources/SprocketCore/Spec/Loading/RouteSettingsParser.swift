/// Reads `routing:` of stack.yaml (after settings are resolved, so its values interpolate `${...}`),
/// and applies the selected environment's `access:` over the stack's.
struct RouteSettingsParser {
    let context: SpecParseContext

    static let keys = [
        "traefik", "domain", "subdomain", "network", "lan_ip", "tailscale_ip", "public_ip", "socket_proxy", "access", "acme",
    ]
    static let acmeKeys = ["resolver", "email", "challenge", "dns_provider", "staging", "storage", "staging_directory", "production_directory"]

    /// - Parameters:
    ///   - node: the `routing:` value, nil when absent.
    ///   - environmentAccess: the selected environment's `access:` value, nil when absent.
    func routing(_ node: YAMLNode?, environmentAccess: YAMLNode?, environment: String) -> RoutingSpec {
        var routing = RoutingSpec()
        if let node, let fields = context.fields(node, of: "`routing`", known: Self.keys) {
            routing.location = node.location
            if let version = fields["traefik"] {
                routing.traefik = context.choice(version, for: "routing.traefik", as: TraefikMajorVersion.self,
                                                 allowed: TraefikMajorVersion.allCases) ?? .v3
            }
            routing.domain = text(fields["domain"], "routing.domain")
            // An empty subdomain is meaningful ("none"), so it is kept rather than dropped.
            routing.subdomain = fields["subdomain"].flatMap { context.string($0, for: "routing.subdomain") }
            routing.network = text(fields["network"], "routing.network")
            routing.lanAddress = text(fields["lan_ip"], "routing.lan_ip")
            routing.tailscaleAddress = text(fields["tailscale_ip"], "routing.tailscale_ip")
            if let publicIP = fields["public_ip"] { routing.publicAddresses = publicAddresses(publicIP) }
            routing.socketProxy = text(fields["socket_proxy"], "routing.socket_proxy") ?? routing.socketProxy
            if let access = fields["access"] { routing.access = AccessListParser(context: context).profiles(access, for: "routing.access") }
            if let acme = fields["acme"] { routing.acme = self.acme(acme) }
        }
        if let environmentAccess {
            routing.access = AccessListParser(context: context).profiles(environmentAccess, for: "environments.\(environment).access")
        }
        return routing
    }

    private func acme(_ node: YAMLNode) -> ACMESettings {
        var acme = ACMESettings()
        guard let fields = context.fields(node, of: "`routing.acme`", known: Self.acmeKeys) else { return acme }
        acme.resolver = text(fields["resolver"], "routing.acme.resolver") ?? acme.resolver
        acme.email = text(fields["email"], "routing.acme.email")
        if let challenge = fields["challenge"] {
            acme.challenge = context.choice(challenge, for: "routing.acme.challenge", as: ACMESettings.Challenge.self,
                                            allowed: ACMESettings.Challenge.allCases) ?? acme.challenge
        }
        acme.dnsProvider = text(fields["dns_provider"], "routing.acme.dns_provider")
        acme.staging = fields["staging"].flatMap { context.boolean($0, for: "routing.acme.staging") } ?? false
        acme.storage = text(fields["storage"], "routing.acme.storage") ?? acme.storage
        acme.stagingDirectory = directory(fields["staging_directory"], "routing.acme.staging_directory") ?? acme.stagingDirectory
        acme.productionDirectory = directory(fields["production_directory"], "routing.acme.production_directory") ?? acme.productionDirectory
        return acme
    }

    /// An ACME directory URL: `https://…` (ACME is HTTPS only, RFC 8555 §6.1); empty leaves the default.
    private func directory(_ node: YAMLNode?, _ key: String) -> String? {
        guard let node, let url = text(node, key) else { return nil }
        guard url.hasPrefix("https://"), url.count > "https://".count else {
            context.diagnostics.error(
                node.location, "`\(key)` is `\(url)`, not an https:// URL",
                hint: "give the CA's ACME directory URL, e.g. `https://acme-staging-v02.api.letsencrypt.org/directory` "
                    + "(ACME servers answer over HTTPS only); leave it out for Let's Encrypt's")
            return nil
        }
        return url
    }

    /// `public_ip`: one address or a list (IPv4 and IPv6 of the ingress node); empty strings are dropped so a
    /// per-environment setting can leave it unset.
    private func publicAddresses(_ node: YAMLNode) -> [String] {
        context.strings(node, for: "routing.public_ip", acceptsSingle: true).filter { address in
            guard !address.isEmpty else { return false }
            guard IPAddressText.isValid(address) else {
                context.diagnostics.error(
                    node.location, "`routing.public_ip` value `\(address)` is not an IPv4 or IPv6 address",
                    hint: "give the ingress node's public address, e.g. `public_ip: [203.0.113.7, 2001:db8::7]`")
                return false
            }
            return true
        }
    }

    /// A string value, nil when absent or empty (a setting left empty turns the option off).
    private func text(_ node: YAMLNode?, _ key: String) -> String? {
        node.flatMap { context.string($0, for: key) }.flatMap { $0.isEmpty ? nil : $0 }
    }
}
