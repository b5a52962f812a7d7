/// The Let's Encrypt module: what keeps certificate issuance out of trouble.
///
/// - ``ACMEPreflight`` checks DNS (A/AAAA point at the ingress node, CAA allows `letsencrypt.org`) before a
///   hostname may use the production certificate resolver.
/// - ``CertificateLedger`` remembers which certificates were issued, per registered domain, and warns before
///   Let's Encrypt's rate limits.
/// - ``ACMEResolverPolicy`` decides, per hostname, between the staging and the production resolver (staging
///   first for names never issued in production).
/// - ``UDPDNSResolver`` and ``HostsFileResolver`` are the small DNS client the preflight uses.
public enum LetsEncrypt {
    /// The CAA issuer domain name Let's Encrypt checks for (RFC 8659 `issue` / `issuewild` values).
    public static let caaIssuerDomain = "letsencrypt.org"
}
