import DockerEngine
import Foundation
import SprocketCore
import Traefik

/// Reads real Traefik's API, and requests each HTTP route through its `web` entry point, from a one-shot job on
/// Traefik's network (``SwarmOneShotJob``, the way the check probes run), so neither `up`'s route gate nor
/// `verify` needs a published API port or a route to the dashboard with its credentials.
///
/// The API answers on the `traefik` entry point (:8080), which the generated static configuration never
/// publishes; the job reaches it by the service's name on the network (docs/traefik.md says why this way).
/// Traefik's log (for routers it dropped without listing them) is read through the engine API.
public struct TraefikOverlaySource: TraefikRoutingSource, TraefikLogSource {
    /// One request the job makes through the `web` entry point.
    public struct Probe: Sendable {
        var router: String
        var host: String
        var path: String
    }

    public let client: DockerClient
    public let traefik: TraefikDeployment
    public let image: String
    public let labels: [String: String]
    public var probes: [Probe] = []
    public var timeout: Duration = .seconds(90)

    /// The API as the job sees it, for messages.
    public var endpoint: String { "http://\(traefik.service.name):\(TraefikDeployment.apiPort)" }
    private var place: String { "(read by a job on network \(traefik.network))" }

    public static let marker = "@@sprocket"
    /// How long one request through the `web` entry point may take.
    public static let probeSeconds = 5

    public func routingSnapshot() async throws -> TraefikRoutingSnapshot {
        var environment = ["TRAEFIK_HOST=\(traefik.service.name)"]
        for (index, probe) in probes.enumerated() {
            environment += ["PROBE_\(index)_HOST=\(probe.host)", "PROBE_\(index)_PATH=\(probe.path)"]
        }
        var job = SwarmOneShotJob(
            purpose: "traefik-api", image: image, command: ["sh", "-c", script], networks: [traefik.network], labels: labels,
            timeout: timeout)
        job.environment = environment
        let outcome = try await job.run(on: client)
        let output = outcome.output.filter { $0.stream == .stdout }.map(\.text)
        let sections = Self.sections(output)
        for name in ["routers", "services"] where sections.status[name] != 0 {
            let status = sections.status[name].map { "wget exit status \($0)" } ?? "the job ended before reading it (\(outcome.state))"
            throw TraefikAPIError.unreachable(
                endpoint: "\(endpoint)/api/http/\(name) \(place)",
                reason: "\(status); is Traefik running with `api.insecure` on its `traefik` entry point (the generated static configuration)?")
        }
        var answers: [String: RouteRequestAnswer] = [:]
        for (index, probe) in probes.enumerated() {
            answers[probe.router] = sections.probes[index] ?? RouteRequestAnswer(status: nil)
        }
        return try TraefikAPIDocuments.snapshot(
            routers: sections.body["routers"] ?? "", services: sections.body["services"] ?? "", probes: answers,
            endpoint: "\(endpoint) \(place)")
    }

    public func recentLogLines() async throws -> [String] {
        try await client.serviceLogs(traefik.dockerName, tail: 2_000, timeout: .seconds(30)).map(\.text)
    }

    /// The job's shell script: each API body folded into short lines between markers (Docker splits long log
    /// lines), then one status line per probe. Hosts and paths come in environment variables, never in the script.
    private var script: String {
        var lines = [
            "api=http://$TRAEFIK_HOST:\(TraefikDeployment.apiPort)",
            "for name in routers services; do",
            "  body=$(wget -O - \"$api/api/http/$name?per_page=100000\" 2>/dev/null); rc=$?",
            "  echo '\(Self.marker)-begin' $name",
            "  printf '%s\\n' \"$body\" | fold -w 1000",
            "  echo '\(Self.marker)-end' $name $rc",
            "done",
        ]
        // The probes run at once. The request's stdin stays open (`sleep`) until Traefik answered: busybox nc closes
        // the connection at stdin's end, and Traefik then answers a slow backend with 499 (client closed request).
        lines.append("probe() {")
        lines.append("  reply=$( (printf 'GET %s HTTP/1.0\\r\\nHost: %s\\r\\n\\r\\n' \"$2\" \"$3\"; sleep \(Self.probeSeconds)) "
            + "| nc -w \(Self.probeSeconds) $TRAEFIK_HOST \(TraefikDeployment.webPort) | head -c 4096)")
        // Traefik's own 404 body, as opposed to a backend's 404.
        lines.append("  case \"$reply\" in *'404 page not found'*) own=traefik404;; *) own=-;; esac")
        lines.append("  echo '\(Self.marker)-probe' $1 $own $(printf '%s\\n' \"$reply\" | head -n 1)")
        lines.append("}")
        for index in probes.indices {
            lines.append("probe \(index) \"$PROBE_\(index)_PATH\" \"$PROBE_\(index)_HOST\" &")
        }
        lines.append("wait")
        return lines.joined(separator: "\n")
    }

    /// The bodies (lines joined without separator: folding only split them), their wget exit statuses, and each
    /// probe's HTTP status (nil when no status line came back).
    public static func sections(_ lines: [String]) -> (body: [String: String], status: [String: Int], probes: [Int: RouteRequestAnswer]) {
        var body: [String: String] = [:]
        var status: [String: Int] = [:]
        var probes: [Int: RouteRequestAnswer] = [:]
        var current: String?
        for line in lines {
            let words = line.split(separator: " ").map(String.init)
            if words.first == "\(marker)-begin", words.count >= 2 {
                current = words[1]
                body[words[1]] = ""
            } else if words.first == "\(marker)-end", words.count >= 3 {
                status[words[1]] = Int(words[2])
                current = nil
            } else if words.first == "\(marker)-probe", words.count >= 3, let index = Int(words[1]) {
                // `@@sprocket-probe 0 - HTTP/1.1 301 Moved Permanently`
                let code: Int? = words.count >= 5 && words[3].hasPrefix("HTTP/") ? Int(words[4]) : nil
                probes[index] = RouteRequestAnswer(status: code, isTraefikNotFound: words[2] == "traefik404")
            } else if let current {
                body[current, default: ""] += line
            }
        }
        return (body, status, probes)
    }
}
