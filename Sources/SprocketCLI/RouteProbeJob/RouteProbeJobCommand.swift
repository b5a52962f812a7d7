import ArgumentParser
import Foundation
import Orchestration
import Traefik

/// `sprocketctl route-probe-job REQUEST`: the side of the in-swarm TLS route probe that runs on Traefik's network
/// (``SwarmRouteProbe`` starts it as a Swarm job). Hidden: an operator never runs it by hand.
///
/// It requests each target with ``RouteProbe`` (SNI and `Host` set to the route's name), trusting the CA
/// certificates mounted at ``RouteProbeJobRequest/trustBundlePath``, and prints one answer line per target (``RouteProbeJobAnswer``).
/// It exits 0 whenever it could answer; a route that fails is part of its answer, not of the exit status.
struct RouteProbeJobCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route-probe-job",
        abstract: "Request routes through Traefik from inside the cluster (started by sprocketctl as a Swarm job).",
        shouldDisplay: false)

    /// Where the job finds the certificates a served certificate must chain to: the caller's bundle, mounted there.

    @Argument(help: "The request file (JSON) the job was given as a Docker config.")
    var request: String

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: request) else {
            print(RouteProbeJobAnswer.failureMarker + "the job's request \(request) is missing")
            return
        }
        let decoded: RouteProbeJobRequest
        do {
            decoded = try JSONDecoder().decode(RouteProbeJobRequest.self, from: data)
        } catch {
            print(RouteProbeJobAnswer.failureMarker
                + "the job's request \(request) is not one this sprocketctl understands (\(error)): run the same sprocketctl version in the job's image")
            return
        }
        let bundle = FileManager.default.fileExists(atPath: RouteProbeJobRequest.trustBundlePath) ? RouteProbeJobRequest.trustBundlePath : nil
        let probe = RouteProbe(timeout: .seconds(max(1, decoded.timeoutSeconds)), caBundle: bundle)
        let results = try await probe.probe(decoded.targets)
        for (index, result) in results.enumerated() { print(try RouteProbeJobAnswer.line(index: index, result: result)) }
    }
}
