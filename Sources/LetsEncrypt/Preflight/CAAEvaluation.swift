import Foundation

/// Decides whether a CAA record set lets one CA issue for a name (RFC 8659 §4).
struct CAAEvaluation {
    /// Property tags a CA is expected to understand; a critical record with any other tag forbids issuance.
    static let understoodTags: Set<String> = ["issue", "issuewild", "iodef", "issuemail", "issuevmc"]

    /// The issuer domain to look for (`letsencrypt.org`).
    let issuer: String

    /// Evaluates `records` (the relevant record set found on `domain`) for a wildcard or plain name.
    /// - Returns: findings; an `error` one when the set forbids the issuer.
    func findings(records: [CAARecord], domain: String, isWildcard: Bool) -> [PreflightFinding] {
        if let critical = records.first(where: {
            $0.isCritical && !Self.understoodTags.contains($0.tag.lowercased())
        }) {
            return [PreflightFinding(
                .caaForbids, .error,
                "CAA on \(domain) has the critical property `\(critical)` that Let's Encrypt does not understand, "
                    + "so it will refuse to issue: remove that record or clear its critical flag (128)")]
        }
        let wildcardSet = records.filter { $0.tag.lowercased() == "issuewild" }
        let usesWildcardSet = isWildcard && !wildcardSet.isEmpty
        let tag = usesWildcardSet ? "issuewild" : "issue"
        let relevant = usesWildcardSet ? wildcardSet : records.filter { $0.tag.lowercased() == "issue" }
        if relevant.isEmpty { return [] }
        if let permitting = relevant.first(where: { $0.issuerDomain == issuer }) {
            return conditions(of: permitting, domain: domain)
        }
        let named = Set(relevant.compactMap(\.issuerDomain)).sorted()
        let fix = "add `0 \(tag) \"\(issuer)\"` to \(domain)"
        let message = named.isEmpty
            ? "CAA on \(domain) forbids every CA (`0 \(tag) \";\"`): \(fix) and remove the `;` record"
            : "CAA on \(domain) allows only \(named.joined(separator: ", ")): \(fix)"
        return [PreflightFinding(.caaForbids, .error, message)]
    }

    /// Warnings for `accounturi` / `validationmethods` parameters on the record that allows the issuer.
    private func conditions(of record: CAARecord, domain: String) -> [PreflightFinding] {
        let parameters = record.value.split(separator: ";").dropFirst()
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("accounturi=") || $0.hasPrefix("validationmethods=") }
        guard !parameters.isEmpty else { return [] }
        return [PreflightFinding(
            .caaConditions, .warning,
            "CAA on \(domain) allows \(issuer) only with \(parameters.joined(separator: ", ")): make sure Traefik's "
                + "ACME account and challenge type match, or the order will fail")]
    }
}
