import DockerEngine
import Testing

@Suite("Unreachable daemon")
struct UnreachableDaemonTests {
    @Test(
        "connection failures become .daemonUnreachable with the remedy",
        arguments: [
            DockerEndpoint.unixSocket(path: "/tmp/dkt-no-such-dir/docker.sock"),
            DockerEndpoint.tcp(host: "127.0.0.1", port: 1, tls: false),
        ]
    )
    func unreachable(endpoint: DockerEndpoint) async throws {
        let docker = DockerClient(endpoint: endpoint, requestTimeout: .seconds(10), logger: testLogger())
        let started = ContinuousClock.now
        do {
            _ = try await docker.info()
            Issue.record("expected the call to fail")
        } catch let error as DockerClientError {
            guard case .daemonUnreachable(let reportedEndpoint, let reason) = error else {
                Issue.record("expected .daemonUnreachable, got \(error)")
                try await docker.shutdown()
                return
            }
            #expect(reportedEndpoint == endpoint.description)
            #expect(!reason.isEmpty)
            #expect(error.description.contains("Is dockerd running?"))
            #expect(error.description.contains("DOCKER_HOST"))
            #expect(error.errorDescription == error.description)
        }
        // Fails instead of retrying until the deadline (generous: a loaded CI machine must not fail this; the
        // client's own deadline is far longer).
        #expect(ContinuousClock.now - started < .seconds(30))
        try await docker.shutdown()
    }
}
