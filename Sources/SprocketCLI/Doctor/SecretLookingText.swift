import Foundation

/// How `doctor` recognises a credential written in plain text by its *place* rather than its shape: a variable or
/// label whose name says it holds a secret, a `--password`-style argument, or `scheme://user:password@` in a URL.
///
/// ``SecretLiteralDetector`` (the leak guard of `validate`) already refuses values that *look* random or have a
/// known token format; a short or memorable password (`hunter2`) passes it, so these rules look at the name instead.
/// Only names and places are ever reported, never the value.
enum SecretLookingText {
    /// Words of a name that say "this is a credential".
    static let secretWords: Set<String> = ["PASSWORD", "PASSWD", "PASS", "PWD", "SECRET", "TOKEN", "APIKEY", "CREDENTIAL", "CREDENTIALS", "PASSPHRASE"]
    /// Two-word names that are credentials (`API_KEY`, `ACCESS_KEY`, `requirepass`).
    static let secretPairs = ["API_KEY", "ACCESS_KEY", "SECRET_KEY", "PRIVATE_KEY", "AUTH_KEY", "SIGNING_KEY", "ENCRYPTION_KEY", "REQUIREPASS", "MASTERAUTH"]
    /// Words that make the name about a credential without holding one (`PASSWORD_FILE`, `TOKEN_TTL`).
    static let referenceWords: Set<String> = ["FILE", "PATH", "DIR", "NAME", "TTL", "EXPIRY", "EXPIRES", "LENGTH", "MIN", "MAX", "POLICY",
                                              "HEADER", "TYPE", "ID", "URL", "HOST", "PORT", "USER", "USERNAME", "ENABLED", "REQUIRED", "RESET"]

    /// True when a variable or label named `name` reads as a credential (`DB_PASSWORD`, `api-key`, `REDIS_REQUIREPASS`).
    static func isSecretName(_ name: String) -> Bool {
        let upper = name.uppercased()
        let words = upper.split { !$0.isLetter && !$0.isNumber }.map(String.init)
        guard !words.contains(where: referenceWords.contains) else { return false }
        if words.contains(where: secretWords.contains) { return true }
        // Run together with a prefix: `PGPASSWORD`, `BOTTOKEN`, `CLIENTSECRET`.
        if words.contains(where: { word in ["PASSWORD", "PASSWD", "SECRET", "TOKEN"].contains { word.count > $0.count && word.hasSuffix($0) } }) { return true }
        let joined = words.joined(separator: "_")
        return secretPairs.contains { joined.contains($0) || upper.contains($0.replacingOccurrences(of: "_", with: "")) }
    }

    /// True when `value` could be a credential: not empty, not a flag-like word or number, not a reference to a
    /// file (`/run/secrets/x`), a variable (`$X`, `${X}`) or a template.
    static func isLiteralValue(_ value: String) -> Bool {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, !trimmed.hasPrefix("/"), !trimmed.hasPrefix("$"), !trimmed.contains("{{") else { return false }
        let words: Set<String> = ["true", "false", "yes", "no", "on", "off", "none", "null", "required", "disabled", "enabled"]
        if words.contains(trimmed.lowercased()) || Double(trimmed) != nil { return false }
        return true
    }

    /// `scheme://user:password@host` with a literal password: the user name, or nil.
    static func urlCredentialUser(in text: String) -> String? {
        guard let expression = try? NSRegularExpression(pattern: #"[A-Za-z][A-Za-z0-9+.-]*://([^/\s:@"'`]+):([^/\s@"'`]+)@"#) else { return nil }
        for match in expression.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let user = Range(match.range(at: 1), in: text), let password = Range(match.range(at: 2), in: text) else { continue }
            let secret = String(text[password])
            if isLiteralValue(secret), !secret.hasPrefix("<"), !secret.allSatisfy({ $0 == "*" || $0 == "x" }) { return String(text[user]) }
        }
        return nil
    }

    /// Arguments that carry a password (`--requirepass x`, `--password=x`, `-p x` is too ambiguous and not read).
    static let secretFlags = try? NSRegularExpression(
        pattern: #"(?:^|\s)--?([A-Za-z][A-Za-z0-9-]*)(?:=|\s+)(\S+)"#)

    /// The flag of the first argument that passes a literal credential (`requirepass`), or nil.
    static func secretFlag(in arguments: [String]) -> String? {
        let flagWords = ["pass", "password", "requirepass", "masterauth", "token", "secret", "api-key", "apikey", "auth-token", "access-key", "secret-key"]
        // Joined with spaces so that `["--requirepass", "x"]` and `sh -c "redis-server --requirepass x"` read alike.
        let text = arguments.joined(separator: " ")
        guard let expression = secretFlags else { return nil }
        for match in expression.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let flag = Range(match.range(at: 1), in: text), let value = Range(match.range(at: 2), in: text) else { continue }
            let name = text[flag].lowercased()
            let literal = String(text[value]).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            guard flagWords.contains(where: { name == $0 || name.hasSuffix("-" + $0) }), !name.hasSuffix("-file"),
                isLiteralValue(literal), !literal.hasPrefix("-"), !literal.hasPrefix("\"$"), !literal.hasPrefix("'$")
            else { continue }
            return String(text[flag])
        }
        return nil
    }
}
