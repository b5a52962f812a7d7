import Foundation
import SprocketCore

/// A one-shot job that runs one probe and is removed after it, pass or fail (a ``SwarmOneShotJob`` with the
/// probe's name and labels).
///
/// It joins the network it probes (so nothing needs publishing), answers no requests (no virtual IP, no IPVS
/// needed), never restarts, and carries the stack environment's labels plus `io.sprocket.probe=true`, so `down`,
/// the next `up` (pruning) or ``DockerCheckProbe`` itself (sweeping leftovers of an interrupted run, once per
/// process) removes it if the removal here could not happen.
struct ProbeJob {
    let client: DockerClient
    var pollInterval: Duration = .milliseconds(250)

    typealias Outcome = SwarmOneShotJob.Outcome

    /// Creates the job, waits for its task to end (at most `deadline`), reads its output and removes it.
    func run(
        name: String, image: String, command: [String], environment: [String], network: String?, labels: [String: String],
        deadline: Duration
    ) async throws -> Outcome {
        var job = SwarmOneShotJob(
            purpose: "probe", image: image, command: command, networks: network.map { [$0] } ?? [], labels: labels, timeout: deadline)
        job.name = name
        job.environment = environment
        job.sweepsLeftovers = false
        job.pollInterval = pollInterval
        return try await job.start(on: client)
    }

    /// A unique, valid service name below the stack environment's prefix (Docker allows 63 characters).
    static func name(prefix: String) -> String {
        let suffix = "_probe-" + String(UInt32.random(in: .min ... .max), radix: 16).leftPadded(to: 8)
        return String(prefix.prefix(63 - suffix.count)) + suffix
    }
}
