import Foundation

/// One certificate order Traefik's ACME resolver reported as failed in its log, with what the CA said.
///
/// Traefik (lego) logs `Unable to obtain ACME certificate for domains` each time an order fails, with the
/// resolver (`providerName=<resolver>.acme`), the CA's directory (`acmeCA=`), the router and the error, which
/// quotes the CA's RFC 8555 problem documents (`acme: error: 403 :: urn:ietf:params:acme:error:… :: detail`).
public struct ACMEOrderFailure: Codable, Sendable, Equatable {
    /// When Traefik logged it (second precision: the log's own timestamp).
    public var date: Date
    /// The certificate's names, as Traefik asked for them.
    public var domains: [String]
    /// The Traefik certificate resolver (`letsencrypt` for `providerName=letsencrypt.acme`), nil if not logged.
    public var resolver: String?
    /// The ACME directory URL Traefik used (`acmeCA=`), nil if not logged.
    public var caServer: String?
    /// The router that asked for the certificate (`routerName=`), nil if not logged.
    public var router: String?
    /// Traefik's whole error text (unquoted).
    public var error: String
    /// The CA's problem documents quoted in ``error``, in order; empty when the order never reached a validation
    /// (the CA unreachable, an account error).
    public var problems: [ACMEProblem]

    public init(date: Date, domains: [String], resolver: String?, caServer: String?, router: String?, error: String,
                problems: [ACMEProblem]) {
        self.date = date
        self.domains = domains
        self.resolver = resolver
        self.caServer = caServer
        self.router = router
        self.error = error
        self.problems = problems
    }

    /// True when the CA validated and refused (an invalid authorization): what Let's Encrypt counts against its
    /// "failed validations" limit. An order that never got that far (CA unreachable, rate limited) is not.
    public var isFailedValidation: Bool {
        error.contains("invalid authorization") || problems.contains { $0.kind?.isValidationFailure == true }
    }

    /// The names whose validation failed: those a problem names, else all of ``domains``.
    public var failedIdentifiers: [String] {
        let named = problems.compactMap(\.identifier).filter { domains.contains($0) }
        return named.isEmpty ? domains : named
    }

    /// What the CA said, in its own words: the problems (`403 urn:…:unauthorized: detail`), else Traefik's error.
    public var reason: String {
        problems.isEmpty ? error : problems.map(\.summary).joined(separator: "; ")
    }

    /// Which environment the CA is: Let's Encrypt's production or staging directory, else (a test CA such as
    /// pebble, or nothing logged) `fallback`.
    public func environment(fallback: ACMEEnvironment) -> ACMEEnvironment {
        ACMEEnvironment.allCases.first { $0.directoryURL == caServer } ?? fallback
    }
}

/// One RFC 8555 problem document as lego quotes it: `acme: error: <status> :: <type> :: <detail>`.
public struct ACMEProblem: Codable, Sendable, Equatable {
    /// The name the problem is about, when the error says (`[host: invalid authorization: …]`).
    public var identifier: String?
    /// The HTTP status of the CA's answer (403, 400, 429, …).
    public var status: Int
    /// The problem type URN, e.g. `urn:ietf:params:acme:error:unauthorized`.
    public var type: String
    /// The CA's own explanation, verbatim.
    public var detail: String

    public init(identifier: String?, status: Int, type: String, detail: String) {
        self.identifier = identifier
        self.status = status
        self.type = type
        self.detail = detail
    }

    /// The type without its `urn:ietf:params:acme:error:` prefix (`unauthorized`, `connection`, …).
    public var kind: ACMEProblemKind? {
        type.split(separator: ":").last.flatMap { ACMEProblemKind(rawValue: String($0)) }
    }

    /// `403 urn:ietf:params:acme:error:unauthorized: Failed to connect to 10.0.1.4:443 for the tls-alpn-01 challenge`.
    public var summary: String {
        "\(status) \(type): \(detail)"
    }
}

/// The RFC 8555 §6.7 problem types a certificate order of Traefik's meets in practice.
public enum ACMEProblemKind: String, Codable, Sendable, CaseIterable {
    case unauthorized, connection, dns, caa, tls, incorrectResponse, rejectedIdentifier, rateLimited, malformed
    case badNonce, serverInternal, unsupportedIdentifier, accountDoesNotExist, externalAccountRequired

    /// Problems that end a validation: the CA tried the challenge and it failed.
    public var isValidationFailure: Bool {
        switch self {
        case .unauthorized, .connection, .dns, .caa, .tls, .incorrectResponse: true
        default: false
        }
    }
}
