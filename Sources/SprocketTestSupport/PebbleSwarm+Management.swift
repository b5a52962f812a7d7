import DockerEngine
import Foundation

extension PebbleSwarm {
    /// The certificates pebble issues under (both made fresh at each start), read from its management API.
    public struct IssuingCertificates: Sendable {
        public var rootPEM: String
        public var intermediatePEM: String
    }

    /// Makes challtestsrv answer A queries for `host` with `address` instead of Traefik's (its `/add-a`), e.g.
    /// 127.0.0.1, where nothing answers pebble's validation: pebble then refuses the order with its own error.
    public func resolve(_ host: String, to address: String) async throws {
        let script = #"wget -O - --post-data "{\"host\":\"$HOST\",\"addresses\":[\"$ADDRESS\"]}" "http://$DNS:8055/add-a""#
        let outcome = try await job("pebble-add-a", script, environment: ["HOST=\(host)", "ADDRESS=\(address)", "DNS=\(dnsAlias)"])
        guard outcome.exitCode == 0 else {
            throw PebbleSwarmError.management("challtestsrv's /add-a for \(host) failed (\(outcome.state)): \(outcome.output.map(\.text))")
        }
    }

    /// pebble's root and intermediate certificates (`/roots/0`, `/intermediates/0` on its management port), read from
    /// a job on the network. busybox's wget does not verify certificates; pebble's is the test's own.
    public func issuingCertificates() async throws -> IssuingCertificates {
        let script = """
            wget --no-check-certificate -O /tmp/root.pem "https://$PEBBLE:15000/roots/0" && wget --no-check-certificate -O /tmp/intermediate.pem "https://$PEBBLE:15000/intermediates/0" \
            && echo @@root && cat /tmp/root.pem && echo @@intermediate && cat /tmp/intermediate.pem
            """
        let outcome = try await job("pebble-roots", script, environment: ["PEBBLE=\(alias)"])
        let lines = outcome.output.filter { $0.stream == .stdout }.map(\.text)
        guard outcome.exitCode == 0, let rootStart = lines.firstIndex(of: "@@root"), let middle = lines.firstIndex(of: "@@intermediate"),
            rootStart < middle
        else {
            throw PebbleSwarmError.management("reading /roots/0 and /intermediates/0 failed (\(outcome.state)): \(outcome.output.map(\.text))")
        }
        let pem = { (slice: ArraySlice<String>) in slice.joined(separator: "\n") + "\n" }
        return IssuingCertificates(rootPEM: pem(lines[(rootStart + 1)..<middle]), intermediatePEM: pem(lines[(middle + 1)...]))
    }

    /// A one-shot container of the pebble image (busybox inside) on the network.
    private func job(_ purpose: String, _ script: String, environment: [String]) async throws -> SwarmOneShotJob.Outcome {
        var job = SwarmOneShotJob(
            purpose: purpose, image: image, command: ["sh", "-c", script], networks: [network], labels: labels, timeout: .seconds(60))
        job.environment = environment
        return try await job.run(on: client)
    }
}
