import Foundation

/// Reads Traefik's log (the plain text format the generated static configuration asks for: `log.noColor`) for
/// failed certificate orders of its ACME resolvers.
///
/// A line looks like (one line in the log):
/// `2026-12-06T21:58:22Z ERR Unable to obtain ACME certificate for domains error="unable to generate a certificate
/// for the domains [bad.example.test]: … [bad.example.test: invalid authorization: acme: error: 403 ::
/// urn:ietf:params:acme:error:unauthorized :: Failed to connect to 10.0.25.4:443 for the tls-alpn-01 challenge]"
/// ACME CA=https://pebble:14000/dir acmeCA=https://pebble:14000/dir domains=["bad.example.test"]
/// providerName=letsencrypt.acme routerName=bad@swarm rule=Host(`bad.example.test`)`
///
/// Docker may put a `service.1.id@node | ` prefix or its own timestamp in front; the first RFC 3339 timestamp of
/// the line is Traefik's. Lines that are not such failures are ignored, never an error: a log is not an API.
public struct TraefikACMELogParser: Sendable {
    /// The messages Traefik logs for a failed order: a first certificate, and a renewal.
    public static let failureMessages = ["Unable to obtain ACME certificate", "Error renewing certificate"]

    public init() {}

    /// Every failed order in `lines`, oldest first as the log lists them.
    public func failures(in lines: [String]) -> [ACMEOrderFailure] {
        lines.compactMap(failure(in:))
    }

    /// The failed order one log line reports, nil for any other line.
    public func failure(in line: String) -> ACMEOrderFailure? {
        guard Self.failureMessages.contains(where: { line.contains($0) }), let date = Self.timestamp(in: line) else {
            return nil
        }
        let fields = LogfmtFields(line)
        let error = fields["error"] ?? ""
        var domains = fields["domains"].flatMap(Self.jsonStrings) ?? []
        if domains.isEmpty { domains = Self.bracketedDomains(in: error) }
        let resolver = fields["providerName"].map { $0.hasSuffix(".acme") ? String($0.dropLast(5)) : $0 }
        return ACMEOrderFailure(
            date: date, domains: domains.map { $0.lowercased() }, resolver: resolver, caServer: fields["acmeCA"],
            router: fields["routerName"], error: error, problems: Self.problems(in: error))
    }

    /// The first RFC 3339 timestamp of the line (`2026-12-06T21:58:22Z`, fractions and offsets allowed).
    static func timestamp(in line: String) -> Date? {
        guard let range = line.range(of: #"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)"#, options: .regularExpression)
        else { return nil }
        let text = String(line[range])
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = text.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// `["a.example.com","b.example.com"]` as Traefik's log writes a list.
    static func jsonStrings(_ text: String) -> [String]? {
        try? JSONDecoder().decode([String].self, from: Data(text.utf8))
    }

    /// The names in `… for the domains [a.example.com b.example.com]: …`, when the line has no `domains=` field.
    static func bracketedDomains(in error: String) -> [String] {
        guard let start = error.range(of: "for the domains ["), let end = error[start.upperBound...].firstIndex(of: "]")
        else { return [] }
        return error[start.upperBound..<end].split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
    }

    /// The problem documents lego quotes: `[host: invalid authorization: acme: error: 403 :: urn:… :: detail]`.
    static func problems(in error: String) -> [ACMEProblem] {
        // Several names' errors share one bracket (lego prints a list, space separated): a detail ends where the next
        // `<name>: …acme: error:` begins, or at the list's closing bracket at the end of the error (a detail may hold
        // brackets itself: `[2001:db8::1]:443`).
        let name = #"[A-Za-z0-9*][A-Za-z0-9.*-]*"#
        let next = #",? \#(name)\.[A-Za-z0-9.-]+: (?:[a-z ]+: )*acme: error:"#
        let pattern = #"(?:(\#(name)): (?:[a-z ]+: )*)?acme: error: (\d{3}) :: (urn:[^\s]+) :: (.*?)(?=\#(next)|\](?:\n|$)|\n|$)"#
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return [] }
        let text = error as NSString
        return expression.matches(in: error, range: NSRange(location: 0, length: text.length)).compactMap { match in
            func group(_ index: Int) -> String? {
                let range = match.range(at: index)
                return range.location == NSNotFound ? nil : text.substring(with: range)
            }
            guard let status = group(2).flatMap({ Int($0) }), let type = group(3), let detail = group(4) else { return nil }
            let identifier = group(1).flatMap { $0.contains(".") ? $0.lowercased() : nil }
            return ACMEProblem(identifier: identifier, status: status, type: type,
                               detail: detail.trimmingCharacters(in: .whitespaces))
        }
    }
}
