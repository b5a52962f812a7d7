import Foundation
import SprocketCore

/// The shell script an http or tcp probe job runs (busybox `sh`, `nc`, `timeout`, `head`), and the reading of
/// its output.
///
/// The request, host and port reach the script through environment variables, so nothing from the spec is
/// ever quoted into shell text. The output is framed by marker lines: everything between them is the answer,
/// the end marker carries `nc`'s exit status.
enum ProbeScript {
    static let beginMarker = "@@sprocket-probe begin"
    static let endMarker = "@@sprocket-probe end"
    /// Bytes of an HTTP answer kept (status line, headers and the start of the body).
    static let answerLimit = 16_384

    /// `sh -c` text of an HTTP probe: one HTTP/1.0 request through `nc`, its raw answer printed.
    static let http = """
        echo '\(beginMarker)'
        printf '%s' "$PROBE_REQUEST" | timeout "$PROBE_TIMEOUT" nc -w "$PROBE_TIMEOUT" "$PROBE_HOST" "$PROBE_PORT" >/probe.out 2>&1
        status=$?
        head -c \(answerLimit) /probe.out
        echo
        echo "\(endMarker) $status"
        """

    /// `sh -c` text of a TCP probe: `nc` connects with nothing to send; its error text explains a failure.
    static let tcp = """
        echo '\(beginMarker)'
        timeout "$PROBE_TIMEOUT" nc -w "$PROBE_TIMEOUT" "$PROBE_HOST" "$PROBE_PORT" </dev/null >/dev/null 2>/probe.out
        status=$?
        head -c 2000 /probe.out
        echo
        echo "\(endMarker) $status"
        """

    /// The environment of a probe job.
    static func environment(host: String, port: Int, timeout: Duration, request: HTTPProbeRequest? = nil) -> [String] {
        var variables = ["PROBE_HOST=\(host)", "PROBE_PORT=\(port)", "PROBE_TIMEOUT=\(wholeSeconds(timeout))"]
        if let request {
            variables.append("PROBE_REQUEST=\(requestText(request, host: host, port: port))")
        }
        return variables
    }

    /// An HTTP/1.0 request (so the answer is never chunked, and the server closes the connection after it).
    static func requestText(_ request: HTTPProbeRequest, host: String, port: Int) -> String {
        "\(request.method) \(request.path) HTTP/1.0\r\nHost: \(host):\(port)\r\nUser-Agent: sprocketctl-probe\r\nAccept: */*\r\n"
            + "Connection: close\r\n\r\n"
    }

    /// `timeout`/`nc -w` take whole seconds; never less than one.
    static func wholeSeconds(_ duration: Duration) -> Int {
        let seconds = duration.components.seconds + (duration.components.attoseconds > 0 ? 1 : 0)
        return max(1, Int(seconds))
    }

    /// The framed part of a probe job's output.
    struct Framed: Equatable {
        /// The lines between the markers.
        var lines: [String]
        /// `nc`'s exit status.
        var status: Int
    }

    /// Finds the markers in the job's log lines; nil when the script did not run to its end.
    static func framed(_ logLines: [String]) -> Framed? {
        let lines = logLines.map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 }
        guard let begin = lines.firstIndex(of: beginMarker),
            let end = lines[begin...].lastIndex(where: { $0.hasPrefix(endMarker + " ") }),
            let status = Int(lines[end].dropFirst(endMarker.count + 1))
        else { return nil }
        var inner = Array(lines[(begin + 1)..<end])
        // The script prints a newline after the answer so the end marker starts a line; drop it again.
        if inner.last == "" { inner.removeLast() }
        return Framed(lines: inner, status: status)
    }

    /// An HTTP answer as far as the probe needs it.
    struct HTTPAnswer: Equatable {
        var status: Int
        var statusLine: String
        var body: String
    }

    /// Reads the status line and the body of a raw HTTP answer; nil when it is not one.
    static func httpAnswer(_ lines: [String]) -> HTTPAnswer? {
        guard let statusLine = lines.first, statusLine.hasPrefix("HTTP/") else { return nil }
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
        let bodyStart = lines.firstIndex(of: "").map { $0 + 1 } ?? lines.count
        return HTTPAnswer(status: status, statusLine: statusLine, body: lines[bodyStart...].joined(separator: "\n"))
    }

    /// Judges an HTTP probe's framed output against the request.
    static func judgeHTTP(_ framed: Framed, request: HTTPProbeRequest, expected: String, host: String, port: Int) -> CheckObservation {
        guard let answer = httpAnswer(framed.lines) else {
            let detail = framed.lines.joined(separator: " ").trimmedForReport
            let reason = detail.isEmpty ? "nc exit status \(framed.status)" : detail
            return CheckObservation(passed: false, expected: expected, seen: "no HTTP answer from \(host):\(port) (\(reason))")
        }
        let bodyMatches = request.bodyContains.map { answer.body.contains($0) } ?? true
        let passed = answer.status == request.expectedStatus && bodyMatches
        var seen = "HTTP \(answer.status)"
        let reason = answer.statusLine.split(separator: " ", maxSplits: 2).dropFirst(2).first.map(String.init) ?? ""
        if !reason.isEmpty { seen += " \(reason)" }
        if !passed || request.bodyContains != nil {
            seen += answer.body.isEmpty ? " with an empty body" : " with body \"\(answer.body.trimmedForReport)\""
        }
        return CheckObservation(passed: passed, expected: expected, seen: seen)
    }

    /// Judges a TCP probe's framed output.
    static func judgeTCP(_ framed: Framed, expected: String, host: String, port: Int) -> CheckObservation {
        if framed.status == 0 {
            return CheckObservation(passed: true, expected: expected, seen: "connected to \(host):\(port)")
        }
        let detail = framed.lines.joined(separator: " ").trimmedForReport
        let reason = framed.status == 143 || framed.status == 124 ? "timed out" : (detail.isEmpty ? "nc exit status \(framed.status)" : detail)
        return CheckObservation(passed: false, expected: expected, seen: "no connection to \(host):\(port) (\(reason))")
    }
}

extension String {
    /// One line of at most 120 characters, for quoting an answer in a report.
    var trimmedForReport: String {
        let flat = split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .joined(separator: " ")
        return flat.count > 120 ? String(flat.prefix(117)) + "..." : flat
    }
}
