import Testing

@testable import DockerEngine

@Suite("DOCKER_HOST parsing")
struct DockerEndpointTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var env: [String: String]
        var expected: DockerEndpoint
        var testDescription: String { env.map { "\($0)=\($1)" }.sorted().joined(separator: " ") }
    }

    static let valid: [Case] = [
        Case(env: [:], expected: .unixSocket(path: "/var/run/docker.sock")),
        Case(env: ["DOCKER_HOST": ""], expected: .unixSocket(path: "/var/run/docker.sock")),
        Case(
            env: ["DOCKER_HOST": "unix:///run/user/1000/docker.sock"],
            expected: .unixSocket(path: "/run/user/1000/docker.sock")),
        Case(env: ["DOCKER_HOST": "tcp://10.0.0.5:2375"], expected: .tcp(host: "10.0.0.5", port: 2375, tls: false)),
        Case(
            env: ["DOCKER_HOST": "tcp://docker.example:2376/"],
            expected: .tcp(host: "docker.example", port: 2376, tls: false)),
        Case(
            env: ["DOCKER_HOST": "tcp://docker.example"], expected: .tcp(host: "docker.example", port: 2375, tls: false)
        ),
        Case(
            env: ["DOCKER_HOST": "tcp://docker.example", "DOCKER_TLS_VERIFY": "1"],
            expected: .tcp(host: "docker.example", port: 2376, tls: true)
        ),
        Case(
            env: ["DOCKER_HOST": "tcp://127.0.0.1:2376", "DOCKER_TLS_VERIFY": "1"],
            expected: .tcp(host: "127.0.0.1", port: 2376, tls: true)
        ),
        Case(
            env: ["DOCKER_HOST": "tcp://127.0.0.1:2375", "DOCKER_TLS_VERIFY": "0"],
            expected: .tcp(host: "127.0.0.1", port: 2375, tls: false)
        ),
        Case(env: ["DOCKER_HOST": "tcp://[::1]:2375"], expected: .tcp(host: "::1", port: 2375, tls: false)),
        Case(
            env: ["DOCKER_HOST": "unix:///var/run/docker.sock", "DOCKER_TLS_VERIFY": "1"],
            expected: .unixSocket(path: "/var/run/docker.sock")
        ),
    ]

    @Test("accepts the documented forms", arguments: valid)
    func acceptsValidForms(_ testCase: Case) throws {
        #expect(try DockerEndpoint.fromEnvironment(testCase.env) == testCase.expected)
    }

    @Test(
        "rejects other forms with a message naming the value and the accepted forms",
        arguments: [
            "ssh://user@host", "npipe:////./pipe/docker_engine", "fd://", "localhost:2375", "unix://",
            "unix://relative.sock",
            "tcp://", "tcp://host:0", "tcp://host:99999", "tcp://host:port", "tcp://::1:2375", "tcp://[::1",
            "/var/run/docker.sock",
        ]
    )
    func rejectsInvalidForms(_ value: String) {
        #expect {
            try DockerEndpoint.fromEnvironment(["DOCKER_HOST": value])
        } throws: { error in
            guard let error = error as? DockerClientError, case .invalidEndpoint = error else { return false }
            let text = error.description
            return text.contains("\"\(value)\"") && text.contains("unix:///") && text.contains("tcp://host:port")
        }
    }

    @Test("description and Host header")
    func descriptionAndHostHeader() {
        let unix = DockerEndpoint.unixSocket(path: "/var/run/docker.sock")
        #expect(unix.description == "unix:///var/run/docker.sock")
        #expect(unix.hostHeader == "localhost")
        let tcp = DockerEndpoint.tcp(host: "::1", port: 2376, tls: true)
        #expect(tcp.description == "tcp://[::1]:2376 (TLS)")
        #expect(tcp.hostHeader == "[::1]:2376")
        #expect(tcp.url(forURI: "/v1.41/info") == "https://[::1]:2376/v1.41/info")
    }

    @Test("unix socket URLs carry the percent-encoded socket path as host")
    func unixSocketURL() {
        let url = DockerEndpoint.unixSocket(path: "/var/run/docker.sock").url(forURI: "/v1.41/info?x=1")
        #expect(url == "http+unix://%2Fvar%2Frun%2Fdocker.sock/v1.41/info?x=1")
    }
}

@Suite("API version negotiation rule")
struct DockerAPIVersionTests {
    @Test("speaks min(server, 1.45) and refuses servers older than 1.41")
    func negotiation() throws {
        let v = { (text: String) throws -> DockerAPIVersion in try #require(DockerAPIVersion(text)) }
        #expect(try DockerAPIVersion.negotiated(withServer: v("1.41")) == v("1.41"))
        #expect(try DockerAPIVersion.negotiated(withServer: v("1.43")) == v("1.43"))
        #expect(try DockerAPIVersion.negotiated(withServer: v("1.51")) == v("1.45"))
        #expect(throws: DockerClientError.self) { try DockerAPIVersion.negotiated(withServer: v("1.40")) }
        #expect(DockerAPIVersion("1") == nil)
        #expect(DockerAPIVersion("1.x") == nil)
        #expect(try v("1.9") < v("1.41"))
    }
}
