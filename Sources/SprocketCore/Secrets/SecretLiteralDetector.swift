import Foundation

/// Recognises values that look like credentials, so that `validate` can refuse them in places that end up in git,
/// in service specs and in `docker inspect` (environment, command lines, labels, config files).
///
/// Two tests: well-known token formats (Vault, Doppler, AWS, GitHub, Slack, Stripe, Discord, private keys, JWTs),
/// and, for short values only, "random-looking": long, no spaces, several character classes and high Shannon
/// entropy. The second is a heuristic; `not_secret:` exempts a value that only looks random.
public enum SecretLiteralDetector {
    /// What kind of secret `value` looks like, or nil.
    /// - Parameter checkEntropy: also flag random-looking values (environment, labels, arguments; not whole files).
    public static func classify(_ value: String, checkEntropy: Bool = true) -> String? {
        let range = NSRange(value.startIndex..., in: value)
        for (expression, kind) in compiledFormats where expression.firstMatch(in: value, range: range) != nil {
            return kind
        }
        if checkEntropy, looksRandom(value) { return "a random-looking string (high entropy)" }
        return nil
    }

    /// Known token shapes, matched anywhere in the value.
    static let knownFormats: [(String, String)] = [
        (#"\bhv[sbr]\.[A-Za-z0-9_-]{20,}"#, "a Vault token (hvs./hvb./hvr.)"),
        // OpenBao keeps Vault's older token shape: `s.` (service), `b.` (batch), `r.` (recovery) and 24 characters.
        (#"(?<![A-Za-z0-9_.-])[sbr]\.[A-Za-z0-9]{24}\b"#, "an OpenBao token (s./b./r.)"),
        (#"\bdp\.(st|pt|sa|said|ct|scim|audit)\.[A-Za-z0-9._-]{20,}"#, "a Doppler token (dp.*.)"),
        (#"\b(AKIA|ASIA)[A-Z0-9]{16}\b"#, "an AWS access key ID (AKIA/ASIA)"),
        (#"\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}"#, "a GitHub token"),
        (#"\bgithub_pat_[A-Za-z0-9_]{40,}"#, "a GitHub token"),
        (#"\bxox[abposr]-[A-Za-z0-9-]{10,}"#, "a Slack token"),
        (#"\b(sk|rk)_live_[A-Za-z0-9]{20,}"#, "a Stripe secret key"),
        (#"\b[MN][A-Za-z0-9]{23,25}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38}\b"#, "a Discord bot token"),
        (#"-----BEGIN ([A-Z]+ )?PRIVATE KEY-----"#, "a private key"),
        (#"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"#, "a JSON Web Token"),
    ]

    /// `knownFormats` compiled once: `String.range(of:options: .regularExpression)` compiles its pattern on every
    /// call, which made the leak guard most of the time of loading a 10,000-service spec. The patterns are
    /// literals, so one that does not compile is a programming error; `SecretFormatCompilationTests` catches it.
    static let compiledFormats: [(NSRegularExpression, String)] = knownFormats.compactMap { pattern, kind in
        (try? NSRegularExpression(pattern: pattern)).map { ($0, kind) }
    }

    /// Hexadecimal digests and commit ids, optionally after an `algorithm:` prefix.
    private static let hexDigest = try? NSRegularExpression(pattern: #"^([a-z0-9]+:)?[0-9a-fA-F]+$"#)

    /// Long, unbroken, mixed and unpredictable: e.g. a pasted password or API key, not a word, path, URL or version.
    static func looksRandom(_ value: String) -> Bool {
        guard (24...256).contains(value.count), !value.contains(" ") else { return false }
        // URLs, paths and references are structured, not random (a credential inside a URL is caught by its format
        // or by `user:password@`).
        if value.contains("://") || value.hasPrefix("/") || value.hasPrefix("${") { return false }
        // Expressions (Traefik rules, templates) are written by people, not generated.
        if value.contains("`") || value.contains("(") || value.contains("{{") { return false }
        // Digests and commit ids (`sha256:5f70…`, `3f2a…`): hexadecimal is what checksums look like.
        if hexDigest?.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil { return false }
        var classes = 0
        if value.contains(where: \.isLowercase) { classes += 1 }
        if value.contains(where: \.isUppercase) { classes += 1 }
        if value.contains(where: \.isNumber) { classes += 1 }
        if value.contains(where: { !$0.isLetter && !$0.isNumber }) { classes += 1 }
        guard classes >= 3 else { return false }
        return entropyPerCharacter(value) >= 4.0
    }

    /// Shannon entropy of the value's characters, in bits per character.
    static func entropyPerCharacter(_ value: String) -> Double {
        var counts: [Character: Int] = [:]
        for character in value { counts[character, default: 0] += 1 }
        let total = Double(value.count)
        return counts.values.reduce(0) { sum, count in
            let p = Double(count) / total
            return sum - p * log2(p)
        }
    }
}
