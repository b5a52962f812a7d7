import Foundation

/// What one probe of a route saw.
public struct RouteProbeResult: Sendable, Equatable, Codable {
    /// The route probed.
    public var target: RouteProbeTarget
    /// The HTTP status, nil when no response arrived.
    public var statusCode: Int?
    /// The `Location` header of a redirect (how an HTTP→HTTPS redirect shows).
    public var location: String?
    /// The certificate served, for TLS routes that completed a handshake.
    public var certificate: PeerCertificate?
    /// Why no response arrived (connection refused, timeout, TLS failure), nil when one did.
    public var error: String?

    /// Creates a result.
    public init(
        target: RouteProbeTarget, statusCode: Int? = nil, location: String? = nil, certificate: PeerCertificate? = nil,
        error: String? = nil
    ) {
        self.target = target
        self.statusCode = statusCode
        self.location = location
        self.certificate = certificate
        self.error = error
    }

    /// `https://app.example.com/ via 10.0.0.5:443: HTTP 200, certificate CN=app.example.com by CN=R11, O=Let's
    /// Encrypt, C=US until 2026-03-01 (trusted)`, with `TRAEFIK DEFAULT CERT` flagged.
    public var summaryLine: String {
        guard let statusCode else { return "\(target.label): no response: \(error ?? "unknown error")" }
        var line = "\(target.label): HTTP \(statusCode)"
        if let location { line += " → \(location)" }
        if let certificate {
            let until = ISO8601DateFormatter.string(
                from: certificate.notAfter, timeZone: TimeZone(secondsFromGMT: 0) ?? .current,
                formatOptions: [.withFullDate])
            line += ", certificate \(certificate.subject) by \(certificate.issuer) until \(until)"
            if certificate.isTraefikDefault { line += " — TRAEFIK DEFAULT CERT: no certificate for this name" }
            line += certificate.verificationFailure.map { " (not trusted: \($0))" } ?? " (trusted)"
        }
        return line
    }
}
