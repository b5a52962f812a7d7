/// What to do about a failed certificate order, from the CA's problem type: the message a person needs, not the
/// ACME vocabulary. Pure: the same failure always gives the same advice.
public enum ACMEFailureAdvice {
    /// One or two sentences: the likely cause and the fix, then how to retry without burning production limits.
    public static func remedy(for failure: ACMEOrderFailure, challenge: String? = nil) -> String {
        let host = failure.failedIdentifiers.joined(separator: ", ")
        let kinds = failure.problems.compactMap(\.kind)
        let cause: String
        if kinds.contains(.rateLimited) {
            cause = "the CA's rate limit is reached: wait until the time its message names; nothing you change makes it sooner"
        } else if kinds.contains(.caa) {
            cause = "a CAA record forbids this CA: add `CAA 0 issue \"\(LetsEncrypt.caaIssuerDomain)\"` at \(host) or its parent domain"
        } else if kinds.contains(.dns) {
            cause = "the CA could not resolve \(host): create its A (and AAAA, if any) record pointing at the ingress node's public address"
        } else if kinds.contains(.connection) || failure.reason.contains("Failed to connect") || failure.reason.contains("Timeout") {
            cause = "the CA could not connect to \(host): its A/AAAA records must point at the ingress node, and ports 80 and 443 "
                + "must be open to the internet and published by Traefik (mode: host on the ingress node)"
        } else if kinds.contains(.unauthorized) || kinds.contains(.incorrectResponse) || kinds.contains(.tls) {
            cause = "the CA reached a server that did not answer the challenge: \(host) points at another machine, or a proxy/CDN "
                + "in front terminates TLS (TLS-ALPN-01 needs Traefik itself on port 443; use `routing.acme.challenge: http` behind one)"
        } else if kinds.contains(.rejectedIdentifier) || kinds.contains(.unsupportedIdentifier) {
            cause = "the CA will not issue for \(host): use a public DNS name you control (not an IP, `localhost` or a private suffix)"
        } else if failure.problems.isEmpty {
            cause = "the order never reached a validation: check that Traefik reaches the CA (\(failure.caServer ?? "its caServer")) "
                + "and trusts its certificate, and that the account email is valid"
        } else {
            cause = "fix what the CA says above"
        }
        let retry = failure.isFailedValidation
            ? "; Traefik retries by itself; until it works keep the staging resolver (`routing.acme.staging: true` or "
                + "`up --acme-staging`): Let's Encrypt's production CA allows only 5 failed validations per name per hour"
            : "; Traefik retries by itself"
        return cause + retry + (challenge.map { " (challenge: \($0))" } ?? "")
    }
}
