/// A small built-in subset of the Public Suffix List, used to find a name's registered domain (the unit of Let's
/// Encrypt's "certificates per registered domain" limit): `api.sprocket.gg` → `sprocket.gg`,
/// `www.example.co.uk` → `example.co.uk`.
///
/// Limitation: the real list has thousands of entries (including private ones such as `github.io`) and Let's
/// Encrypt uses all of it. Only the common ones are built in; a name under an unlisted multi-label suffix
/// (`example.com.mx`) would be counted against the wrong domain (`com.mx`). Add such suffixes with
/// ``init(additional:)``; ``registeredDomain(of:)`` says when it fell back to a guess.
public struct PublicSuffixes: Sendable, Equatable {
    /// The built-in suffixes: common generic and country TLDs, their usual second-level registries, and a few
    /// private suffixes where each label is a separate customer.
    public static let builtIn: Set<String> = [
        "com", "org", "net", "edu", "gov", "mil", "int", "io", "dev", "app", "co", "me", "info", "biz", "xyz",
        "gg", "tv", "us", "eu", "de", "fr", "nl", "be", "at", "ch", "se", "no", "dk", "fi", "es", "it", "pl",
        "cz", "pt", "ie", "ca", "mx", "br", "ar", "in", "jp", "cn", "kr", "au", "nz", "za", "ru", "ua",
        "uk", "sh", "ai", "cloud", "site", "online", "tech", "store", "blog", "page", "live", "gay", "lol",
        "co.uk", "org.uk", "me.uk", "ltd.uk", "plc.uk", "ac.uk", "gov.uk", "net.uk",
        "com.au", "net.au", "org.au", "edu.au", "gov.au",
        "co.nz", "org.nz", "net.nz", "co.jp", "ne.jp", "or.jp", "ac.jp", "co.za", "co.in", "co.kr",
        "com.br", "com.mx", "com.ar", "com.cn", "com.tr", "com.sg", "com.hk", "com.tw",
        "github.io", "gitlab.io", "netlify.app", "vercel.app", "pages.dev", "workers.dev", "herokuapp.com",
        "fly.dev", "onrender.com", "duckdns.org", "ts.net", "ondigitalocean.app",
    ]

    /// The suffixes in use: ``builtIn`` plus the additional ones.
    public let suffixes: Set<String>

    /// - Parameter additional: more public suffixes (`com.mx`, `my-hosting.example`), without leading dots.
    public init(additional: [String] = []) {
        suffixes = Self.builtIn.union(additional.map(DNSName.normalize))
    }

    /// The registered domain of `name`: the longest known public suffix plus one label.
    ///
    /// - Returns: the domain and whether a listed suffix was found; when none matches, the last two labels are
    ///   used (`isKnownSuffix == false`). An IP address is its own registered domain (Let's Encrypt counts IPv4
    ///   addresses one by one). A name that is itself a public suffix is returned unchanged.
    public func registeredDomain(of rawName: String) -> (domain: String, isKnownSuffix: Bool) {
        var name = DNSName.normalize(rawName)
        if name.hasPrefix("*.") { name.removeFirst(2) }
        if IPAddress(name) != nil { return (name, true) }
        let labels = DNSName.labels(of: name)
        for index in labels.indices {
            let candidate = labels[index...].joined(separator: ".")
            if suffixes.contains(candidate) {
                guard index > 0 else { return (name, true) }
                return (labels[(index - 1)...].joined(separator: "."), true)
            }
        }
        return (labels.suffix(2).joined(separator: "."), false)
    }
}
