import Foundation
import Traefik

/// What `sprocketctl route-probe-job` is asked: the routes to request and which certificates to trust. It reaches
/// the job as a Docker config (never as arguments or environment: hosts and paths are the spec's, not the shell's).
public struct RouteProbeJobRequest: Codable, Sendable, Equatable {
    /// Where the job finds the CA bundle it trusts besides the system roots (`--ca-bundle`).
    public static let trustBundlePath = "/run/sprocket/route-probe-ca.pem"
    public var targets: [RouteProbeTarget]
    /// How long one connection may take, in seconds.
    public var timeoutSeconds: Int
}

/// The job's answer: one line per target (``marker``, the target's index, its ``RouteProbeResult`` as JSON), so no
/// line gets long enough for Docker's log to split it, or a line saying why the job could not probe at all.
public enum RouteProbeJobAnswer {
    public static let marker = "sprocketctl-route-probe: "
    public static let failureMarker = "sprocketctl-route-probe-failed: "

    public static func line(index: Int, result: RouteProbeResult) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return "\(marker)\(index) " + String(decoding: try encoder.encode(result), as: UTF8.self)
    }

    /// The results by target index, and the job's own failure when it reported one.
    public static func parse(lines: [String]) -> (results: [Int: RouteProbeResult], failure: String?) {
        var results: [Int: RouteProbeResult] = [:]
        var failure: String?
        for line in lines {
            if let start = line.range(of: failureMarker) {
                failure = String(line[start.upperBound...])
                continue
            }
            guard let start = line.range(of: marker) else { continue }
            let rest = line[start.upperBound...]
            guard let space = rest.firstIndex(of: " "), let index = Int(rest[..<space]),
                let result = try? JSONDecoder().decode(RouteProbeResult.self, from: Data(rest[rest.index(after: space)...].utf8))
            else { continue }
            results[index] = result
        }
        return (results, failure)
    }
}
