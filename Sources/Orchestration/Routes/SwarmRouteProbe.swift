import DockerEngine
import Foundation
import SprocketCore
import Traefik

/// Requests HTTPS routes through Traefik's `websecure` entry point from inside the swarm: a one-shot job
/// (``SwarmOneShotJob``) on Traefik's network runs this very sprocketctl (``ExecutableImage``, placed on this node)
/// as `route-probe-job`, which runs the same ``RouteProbe`` as `verify routes --probe` does from the host, with
/// the router's host as SNI and `Host`, and prints what it saw.
///
/// Why a job of sprocketctl and not busybox like the plain-HTTP probes (``TraefikOverlaySource``): the judgement
/// needs the served certificate (Traefik's default or not, issuer, expiry, chain), which busybox cannot read.
/// The image has no CA certificates of its own: the caller's bundle (`--ca-bundle`, else this machine's system
/// bundle) is mounted into the job.
public struct SwarmRouteProbe: Sendable {
    public let client: DockerClient
    public let traefik: TraefikDeployment
    public let labels: [String: String]
    /// The PEM file whose certificates a served certificate must chain to; nil: this machine's system bundle.
    public var caBundle: String?
    public var connectionTimeout: Duration = .seconds(10)
    public var jobTimeout: Duration = .seconds(120)

    /// Where a system's CA bundle usually is (Debian/Ubuntu/Alpine, Fedora/RHEL, others).
    public static let systemBundles = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"]

    /// One result per target, in order.
    /// - Throws: ``SprocketError`` naming the bundle when it cannot be read, the runner image when it cannot be made,
    ///   and the job when it ends without answering for every target.
    public func probe(_ targets: [RouteProbeTarget]) async throws -> [RouteProbeResult] {
        guard !targets.isEmpty else { return [] }
        let request = RouteProbeJobRequest(targets: targets, timeoutSeconds: Int(connectionTimeout.components.seconds))
        let requestPath = "/run/sprocket/route-probe-request.json"
        var files = [SwarmOneShotJob.File(target: requestPath, content: [UInt8](try JSONEncoder().encode(request)), isSecret: false)]
        if let bundle = try trustBundle() {
            files.append(SwarmOneShotJob.File(target: RouteProbeJobRequest.trustBundlePath, content: bundle, isSecret: false))
        }
        let (image, constraints) = try await ExecutableImage().ensureOnThisNode(on: client, subject: "the TLS route probe")
        let job = SwarmOneShotJob(
            purpose: "route-probe", image: image, command: [ExecutableImage.executablePath, "route-probe-job", requestPath], files: files,
            networks: [traefik.network], constraints: constraints, labels: labels, timeout: jobTimeout)
        let outcome = try await job.run(on: client)
        let lines = outcome.output.filter { $0.stream == .stdout }.map(\.text)
        let (results, failure) = RouteProbeJobAnswer.parse(lines: lines)
        let ordered = targets.indices.compactMap { results[$0] }
        guard failure == nil, ordered.count == targets.count else {
            let tail = outcome.output.suffix(5).map(\.text).joined(separator: " | ")
            throw SprocketError(
                .engine,
                "the TLS route probe job on network \(traefik.network) ended \(outcome.state)\(outcome.exitCode.map { " (exit code \($0))" } ?? "")"
                    + "\(outcome.error.map { ": \($0)" } ?? "") with \(ordered.count) of \(targets.count) answers"
                    + (failure.map { "; it said: \($0)" } ?? (tail.isEmpty ? "" : "; its last output: \(tail)")),
                subject: "job route-probe (image \(image))",
                hint: "the job runs an image built from this sprocketctl on this node; `docker service ps` shows its task while it runs")
        }
        return ordered
    }

    /// The bundle's bytes: `--ca-bundle`, else the first system bundle found, else nil (then nothing verifies).
    private func trustBundle() throws -> [UInt8]? {
        if let caBundle {
            guard let data = FileManager.default.contents(atPath: caBundle), !data.isEmpty else {
                throw SprocketError(
                    .stateIO, "cannot read the CA bundle \(caBundle) (missing, unreadable or empty)", subject: caBundle,
                    hint: "pass --ca-bundle a PEM file of the CA certificates your routes' certificates chain to")
            }
            return [UInt8](data)
        }
        return Self.systemBundles.lazy.compactMap { FileManager.default.contents(atPath: $0) }.first { !$0.isEmpty }.map { [UInt8]($0) }
    }
}
