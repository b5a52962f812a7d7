import SprocketCore
import Testing

@testable import DockerEngine

/// The probe job's script and the reading of its output, from output captured on dockerd 20.10 with busybox.
@Suite("Probe script output")
struct ProbeScriptTests {
    static let request = HTTPProbeRequest(method: "GET", path: "/health", expectedStatus: 200, bodyContains: nil, target: .published(port: 1))

    /// `nc` against busybox httpd running a CGI script that prints `Status: 500`.
    static let cgi500 = [
        "@@sprocket-probe begin", "HTTP/1.1 500 Internal Server Error", "Content-Type: text/plain", "", "broken-body", "",
        "@@sprocket-probe end 0",
    ]

    /// `nc` against busybox httpd serving a file: CRLF line ends.
    static let file200 = [
        "@@sprocket-probe begin", "HTTP/1.1 200 OK\r", "Date: Sun, 29 Nov 2026 01:27:25 GMT\r", "Connection: close\r",
        "Content-type: text/html\r", "Content-Length: 3\r", "\r", "ok", "@@sprocket-probe end 0",
    ]

    @Test("the answer between the markers, with the exit status; nothing when the script did not finish")
    func framing() throws {
        let framed = try #require(ProbeScript.framed(["image could not be accessed"] + Self.cgi500))
        #expect(framed.status == 0)
        #expect(framed.lines == ["HTTP/1.1 500 Internal Server Error", "Content-Type: text/plain", "", "broken-body"])
        #expect(ProbeScript.framed(["@@sprocket-probe begin", "HTTP/1.1 200 OK"]) == nil)
        #expect(ProbeScript.framed(["nothing"]) == nil)
    }

    @Test("an HTTP answer is judged by status and body substring, and says what it saw")
    func judgesHTTP() throws {
        let failing = try #require(ProbeScript.framed(Self.cgi500))
        let seen = ProbeScript.judgeHTTP(failing, request: Self.request, expected: "HTTP 200", host: "api", port: 8080)
        #expect(seen == CheckObservation(passed: false, expected: "HTTP 200", seen: "HTTP 500 Internal Server Error with body \"broken-body\""))

        let passing = try #require(ProbeScript.framed(Self.file200))
        #expect(ProbeScript.judgeHTTP(passing, request: Self.request, expected: "HTTP 200", host: "api", port: 8080).seen == "HTTP 200 OK")
        var wantsBody = Self.request
        wantsBody.bodyContains = "ready"
        let wrongBody = ProbeScript.judgeHTTP(passing, request: wantsBody, expected: "x", host: "api", port: 8080)
        #expect(!wrongBody.passed)
        #expect(wrongBody.seen == "HTTP 200 OK with body \"ok\"")
        wantsBody.bodyContains = "ok"
        #expect(ProbeScript.judgeHTTP(passing, request: wantsBody, expected: "x", host: "api", port: 8080).passed)
    }

    @Test("no HTTP answer says why: nc's own message or its exit status")
    func noAnswer() throws {
        let refused = ProbeScript.Framed(lines: ["nc: can't connect to remote host (10.0.1.5): Connection refused"], status: 1)
        #expect(ProbeScript.judgeHTTP(refused, request: Self.request, expected: "HTTP 200", host: "api", port: 8080).seen
            == "no HTTP answer from api:8080 (nc: can't connect to remote host (10.0.1.5): Connection refused)")
        let silent = ProbeScript.Framed(lines: [], status: 143)
        #expect(ProbeScript.judgeHTTP(silent, request: Self.request, expected: "HTTP 200", host: "api", port: 8080).seen
            == "no HTTP answer from api:8080 (nc exit status 143)")
    }

    @Test("a TCP probe passes on nc's exit status 0 and explains a failure")
    func judgesTCP() {
        #expect(ProbeScript.judgeTCP(.init(lines: [], status: 0), expected: "e", host: "db", port: 5432).passed)
        let bad = ProbeScript.judgeTCP(.init(lines: ["nc: bad address 'db'"], status: 1), expected: "e", host: "db", port: 5432)
        #expect(!bad.passed && bad.seen == "no connection to db:5432 (nc: bad address 'db')")
        #expect(ProbeScript.judgeTCP(.init(lines: [], status: 143), expected: "e", host: "db", port: 5432).seen == "no connection to db:5432 (timed out)")
    }

    @Test("the request and host reach the script as variables, never as shell text")
    func environment() {
        var request = Self.request
        request.method = "HEAD"
        request.path = "/a'b;$(rm -rf /)"
        let variables = ProbeScript.environment(host: "api", port: 8080, timeout: .milliseconds(2500), request: request)
        #expect(variables.contains("PROBE_HOST=api") && variables.contains("PROBE_PORT=8080") && variables.contains("PROBE_TIMEOUT=3"))
        #expect(variables.contains("PROBE_REQUEST=HEAD /a'b;$(rm -rf /) HTTP/1.0\r\nHost: api:8080\r\nUser-Agent: sprocketctl-probe\r\nAccept: */*\r\nConnection: close\r\n\r\n"))
        #expect(!ProbeScript.http.contains("/a'b"))
        #expect(ProbeScript.wholeSeconds(.milliseconds(100)) == 1)
    }

    @Test("probe job names stay under Docker's 63 characters and below the stack prefix")
    func jobNames() {
        let name = ProbeJob.name(prefix: String(repeating: "s", count: 40) + "-" + String(repeating: "e", count: 30))
        #expect(name.count <= 63)
        #expect(name.contains("_probe-"))
        #expect(ProbeJob.name(prefix: "demo-local").hasPrefix("demo-local_probe-"))
    }
}
