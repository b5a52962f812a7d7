import SprocketCore
import DockerEngine
import Foundation
import SprocketTestSupport
import Testing

/// The client against an in-process stub server on a unix socket: exact wire format, no daemon needed.
@Suite("DockerClient wire format (stub server)")
struct StubServerClientTests {
    /// Answers `/_ping` like dockerd does, with `apiVersion` in the header, and everything else with `route`.
    static func daemon(
        apiVersion: String = "1.41", _ route: @escaping @Sendable (StubHTTPServer.Request) -> StubHTTPServer.Response
    ) -> StubHTTPServer.Handler {
        { request in
            request.path == "/_ping"
                ? .text("OK", headers: [("API-Version", apiVersion), ("OSType", "linux")]) : route(request)
        }
    }

    /// Runs `body` with a client pointed at a stub server.
    @discardableResult
    static func withStub<T: Sendable>(
        requestTimeout: Duration = .seconds(10), handler: @escaping StubHTTPServer.Handler,
        _ body: (DockerClient, StubHTTPServer) async throws -> T
    ) async throws -> T {
        try await StubHTTPServer.withServer(handler: handler) { server in
            let docker = DockerClient(
                endpoint: .unixSocket(path: server.socketPath), requestTimeout: requestTimeout, logger: testLogger()
            )
            do {
                let result = try await body(docker, server)
                try await docker.shutdown()
                return result
            } catch {
                try? await docker.shutdown()
                throw error
            }
        }
    }

    @Test("negotiates with /_ping, then prefixes /v1.41 and always sends Host")
    func negotiationAndHost() async throws {
        try await Self.withStub(
            handler: Self.daemon { _ in .json(#"{"Version":"20.10.24","ApiVersion":"1.41","Os":"linux"}"#) }
        ) {
            docker, server in
            let version = try await docker.version()
            #expect(version.apiVersion == "1.41")
            #expect(try await docker.apiVersion == DockerAPIVersion(major: 1, minor: 41))
            let requests = server.requests
            #expect(requests.map(\.uri) == ["/_ping", "/v1.41/version"])
            #expect(requests.map(\.method) == ["GET", "GET"])
            for request in requests {
                #expect(request.header("Host") == "localhost")
            }
        }
    }

    @Test("caps the version at 1.45 for newer daemons and refuses older ones")
    func versionBounds() async throws {
        try await Self.withStub(handler: Self.daemon(apiVersion: "1.51") { _ in .json("[]") }) { docker, server in
            _ = try await docker.listNodes()
            #expect(server.requests.last?.uri == "/v1.45/nodes")
        }
        try await Self.withStub(handler: Self.daemon(apiVersion: "1.40") { _ in .json("[]") }) { docker, _ in
            await #expect {
                _ = try await docker.listNodes()
            } throws: { error in
                guard case DockerClientError.unsupportedAPIVersion(let server, let minimum) = error else {
                    return false
                }
                return server == "1.40" && minimum == "1.41"
            }
        }
    }

    @Test("createService sends the spec as JSON with registry auth; update sends the version")
    func createAndUpdateService() async throws {
        let handler = Self.daemon { request in
            switch (request.method, request.path) {
            case ("POST", "/v1.41/services/create"): .json(#"{"ID":"svc1","Warnings":["no digest"]}"#, status: 201)
            case ("POST", "/v1.41/services/svc1/update"): .json(#"{"Warnings":null}"#)
            default: .json(#"{"message":"unexpected \#(request.method) \#(request.uri)"}"#, status: 400)
            }
        }
        try await Self.withStub(handler: handler) { docker, server in
            let spec = ServiceSpec(
                name: "web", labels: testLabel,
                taskTemplate: TaskSpec(containerSpec: ContainerSpec(image: DockerTestImages.busybox, command: ["sh"])),
                mode: .global,
                endpointSpec: .init(mode: "dnsrr")
            )
            let created = try await docker.createService(spec, registryAuth: "e30=")
            #expect(created == ServiceCreateResponse(id: "svc1", warnings: ["no digest"]))
            let warnings = try await docker.updateService("svc1", version: 7, spec: spec)
            #expect(warnings.isEmpty)

            let create = try #require(server.requests.first { $0.path == "/v1.41/services/create" })
            #expect(create.method == "POST")
            #expect(create.header("Content-Type") == "application/json")
            #expect(create.header("X-Registry-Auth") == "e30=")
            #expect(create.header("Host") == "localhost")
            #expect(try JSONDecoder().decode(ServiceSpec.self, from: Data(create.body)) == spec)
            #expect(create.bodyText.contains(#""Global":{}"#))

            let update = try #require(server.requests.first { $0.path == "/v1.41/services/svc1/update" })
            #expect(update.query == ["version": "7"])
            #expect(update.header("X-Registry-Auth") == nil)
        }
    }

    @Test("list calls send filters and status as query parameters")
    func listQueries() async throws {
        try await Self.withStub(handler: Self.daemon { _ in .json("[]") }) { docker, server in
            _ = try await docker.listServices(filters: .label("io.sprocket.stack", "web"), status: true)
            _ = try await docker.listTasks(filters: ["service": ["web"], "desired-state": ["running"]])
            _ = try await docker.listNetworks()
            let uris = server.requests.dropFirst().map(\.uri)
            #expect(
                uris == [
                    "/v1.41/services?filters=%7B%22label%22%3A%5B%22io.sprocket.stack%3Dweb%22%5D%7D&status=true",
                    "/v1.41/tasks?filters=%7B%22desired-state%22%3A%5B%22running%22%5D%2C%22service%22%3A%5B%22web%22%5D%7D",
                    "/v1.41/networks",
                ]
            )
            #expect(server.requests[1].query["filters"] == #"{"label":["io.sprocket.stack=web"]}"#)
        }
    }

    @Test("a 500 with a JSON message becomes .http with that message verbatim")
    func serverErrorMessage() async throws {
        try await Self.withStub(handler: Self.daemon { _ in .json(#"{"message":"boom"}"#, status: 500) }) { docker, _ in
            await #expect {
                _ = try await docker.info()
            } throws: { error in
                guard case DockerClientError.http(let status, let method, let path, let message) = error else {
                    return false
                }
                return status == 500 && method == "GET" && path == "/v1.41/info" && message == "boom"
            }
        }
    }

    @Test("a 404 is recognisable with isNotFound; a 409 with isConflict; raw bodies are kept")
    func statusHelpers() async throws {
        let handler = Self.daemon { request in
            switch request.method {
            case "GET": .json(#"{"message":"service nope not found"}"#, status: 404)
            case "POST": .json(#"{"message":"name conflicts with an existing object"}"#, status: 409)
            default: .text("plain failure text", status: 503)
            }
        }
        try await Self.withStub(handler: handler) { docker, _ in
            do {
                _ = try await docker.inspectService("nope")
                Issue.record("expected a 404")
            } catch let error as DockerClientError {
                #expect(error.isNotFound)
                #expect(!error.isConflict)
                #expect(error.description.contains("service nope not found"))
            }
            do {
                _ = try await docker.createConfig(.init(name: "c", content: [1, 2, 3]))
                Issue.record("expected a 409")
            } catch let error as DockerClientError {
                #expect(error.isConflict)
            }
            await #expect {
                try await docker.removeSecret("s")
            } throws: { error in
                guard case DockerClientError.http(503, "DELETE", "/v1.41/secrets/s", let message) = error else {
                    return false
                }
                return message == "plain failure text"
            }
        }
    }

    @Test("a malformed 2xx body becomes .decoding naming the path")
    func decodingError() async throws {
        try await Self.withStub(handler: Self.daemon { _ in .json(#"{"ID": 42}"#) }) { docker, _ in
            await #expect {
                _ = try await docker.inspectNode("n1")
            } throws: { error in
                guard case DockerClientError.decoding(let path, let detail) = error else { return false }
                return path == "/nodes/n1" && detail.contains("ID")
            }
        }
    }

    @Test("a slow answer becomes .timeout after the request timeout")
    func timeout() async throws {
        // Generous margins: under a loaded CI machine even the instant `/_ping` took over 300 ms once.
        let handler = Self.daemon { _ in StubHTTPServer.Response.json("{}").delayed(by: .seconds(30)) }
        try await Self.withStub(requestTimeout: .seconds(5), handler: handler) { docker, _ in
            let started = ContinuousClock.now
            await #expect {
                _ = try await docker.info()
            } throws: { error in
                guard case DockerClientError.timeout(let method, let path, let after) = error else { return false }
                return method == "GET" && path == "/v1.41/info" && after == .seconds(5)
            }
            // The point: the call gave up long before the server answered.
            #expect(ContinuousClock.now - started < .seconds(25))
        }
    }

    @Test("service logs are demultiplexed across HTTP chunk boundaries")
    func logsOverChunks() async throws {
        let frames =
            DockerLogDecoderTests.frame(1, "hello from stdout\n") + DockerLogDecoderTests.frame(2, "and stderr\n")
        // Split mid-header and mid-payload.
        let parts = [Array(frames[0..<3]), Array(frames[3..<14]), Array(frames[14...])]
        try await Self.withStub(handler: Self.daemon { _ in .chunked(parts) }) { docker, server in
            let lines = try await docker.serviceLogs("web", tail: 50, timestamps: false)
            #expect(
                lines == [
                    LogLine(stream: .stdout, text: "hello from stdout"), LogLine(stream: .stderr, text: "and stderr"),
                ])
            let request = try #require(server.requests.last)
            #expect(request.path == "/v1.41/services/web/logs")
            #expect(
                request.query == [
                    "stdout": "true", "stderr": "true", "follow": "false", "tail": "50", "timestamps": "false",
                ]
            )
        }
    }

    @Test("events are read line by line up to the limit")
    func eventsStream() async throws {
        let body = (1...5).map {
            #"{"Type":"service","Action":"update","Actor":{"ID":"s\#($0)"},"time":\#($0)}"# + "\n"
        }
        .joined()
        let bytes = Array(body.utf8)
        let parts = [Array(bytes[0..<40]), Array(bytes[40..<90]), Array(bytes[90...])]
        try await Self.withStub(handler: Self.daemon { _ in .chunked(parts) }) { docker, server in
            let since = Date(timeIntervalSince1970: 1_700_000_000.25)
            let until = Date(timeIntervalSince1970: 1_700_000_060)
            let all = try await docker.events(since: since, until: until, filters: ["type": ["service"]])
            #expect(all.compactMap(\.actor?.id) == ["s1", "s2", "s3", "s4", "s5"])
            let limited = try await docker.events(since: since, until: until, limit: 2)
            #expect(limited.count == 2)
            let query = try #require(server.requests.dropFirst().first?.query)
            #expect(query["since"] == "1700000000.250000000")
            #expect(query["until"] == "1700000060.000000000")
            #expect(query["filters"] == #"{"type":["service"]}"#)
        }
    }

    @Test("a live event stream yields events as they arrive, with no since/until, and ends when the daemon closes it")
    func liveEventStream() async throws {
        let lines = (1...3).map { #"{"Type":"container","Action":"start","Actor":{"ID":"c\#($0)"}}"# + "\n" }
        let parts = lines.map { Array($0.utf8) }
        try await Self.withStub(handler: Self.daemon { _ in .chunked(parts) }) { docker, server in
            var seen: [String] = []
            for try await event in docker.eventStream(filters: ["type": ["container"]]) {
                seen.append(event.actor?.id ?? "?")
            }
            #expect(seen == ["c1", "c2", "c3"])
            let query = try #require(server.requests.last?.query)
            #expect(query["since"] == nil && query["until"] == nil)
            #expect(query["filters"] == #"{"type":["container"]}"#)
        }
    }

    @Test("a live event stream ends with the daemon's error when the request fails")
    func liveEventStreamFailure() async throws {
        try await Self.withStub(handler: Self.daemon { _ in .json(#"{"message":"events are off"}"#, status: 500) }) { docker, _ in
            await #expect {
                for try await _ in docker.eventStream() {}
            } throws: { error in
                guard case DockerClientError.http(500, "GET", let path, let message) = error else { return false }
                return path.hasSuffix("/events") && message.contains("events are off")
            }
        }
    }

    @Test("call statistics count totals, mutating calls and routes")
    func callStatistics() async throws {
        let handler = Self.daemon { request in
            request.method == "DELETE" ? .text("", status: 204) : .json(#"{"ID":"x"}"#, status: 201)
        }
        try await Self.withStub(handler: handler) { docker, _ in
            _ = try await docker.createSecret(.init(name: "a", value: Array("pw".utf8)))
            _ = try await docker.createSecret(.init(name: "b", value: Array("pw".utf8)))
            try await docker.removeSecret("a")
            #expect(
                docker.callStats()
                    == APICallStats(
                        total: 4, mutating: 3,
                        byRoute: ["GET /_ping": 1, "POST /secrets/create": 2, "DELETE /secrets/{id}": 1],
                        mutatingRouteNames: ["POST /secrets/create", "DELETE /secrets/{id}"]
                    )
            )
            docker.resetCallStats()
            #expect(docker.callStats() == APICallStats())
        }
    }
}
