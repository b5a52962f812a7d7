import Foundation
import SprocketTestSupport
import Testing

/// A canary secret (a unique random value, declared as the stack's secret `canary`) that reaches `up` by the two
/// ways a deploy tool reads what a service says: the body of a failing HTTP check, and the log of a crashing
/// container. `up` fails and reports why; the canary must appear in none of: the run record and history, the
/// state, `up --json`'s events on stdout, stderr, and the tool's debug log (`--verbose`, on stderr).
///
/// A second canary the run cannot know (read by the service from a bind-mounted host file, declared nowhere) may
/// be shown to the operator, but must not be persisted either: the state folder never stores raw probe bodies or
/// container log lines.
@Suite("canary secrets in a failing probe's body or a crashing container's log are redacted everywhere", .tags(.integration))
struct CanaryRedactionTests {
    enum Leak: String, Sendable, CaseIterable, CustomTestStringConvertible {
        case probeBody = "a failing HTTP check's body"
        case crashLog = "a crashing container's log"
        var testDescription: String { rawValue }
    }

    /// A one-layer stack whose service `talker` mounts `canary` and either serves it (with the unknown canary) as
    /// the body of a check that expects `healthy`, or prints both and exits 1.
    static func write(_ stack: SwarmTestStack, leak: Leak, hostFolder: String) throws {
        let script: String
        let checks: String
        switch leak {
        case .probeBody:
            script = "mkdir -p /www && cat /run/secrets/canary /host/unknown > /www/index.html && exec httpd -f -p 8080 -h /www"
            checks = """
                    checks:
                      - http: {path: /, port: 8080, status: 200, body: healthy, retries: 2, interval: 1s}
                """
        case .crashLog:
            // Exits at once: a task that lived a second could pass `up`'s 2 s stability window on a loaded machine.
            script = "cat /run/secrets/canary; echo; cat /host/unknown; echo; exit 1"
            checks = ""
        }
        try stack.write("stack.yaml", """
            stack: {{stack}}
            settings:
              probe_image: sprocket-local/busybox:latest
            layers: [app]
            """)
        // The probe job joins the service's first network (the validator asks for one when a check has no published port).
        try stack.write("app.yaml", """
            networks:
              talk: {}
            secrets:
              canary: {environment: CANARY_VALUE}
            services:
              talker:
                image: sprocket-local/busybox:latest
                command: ["sh", "-c", "\(script)"]
                secrets: [canary]
                networks: [talk]
                volumes:
                  - \(hostFolder):/host:ro
                stop_grace_period: 1s
                deploy: { endpoint_mode: dnsrr }
            \(checks)
            """)
    }

    @Test("up fails on the canary's service; the canary is in no run record, history, state, event, output or log line", arguments: Leak.allCases)
    func canaryNowhere(_ leak: Leak) async throws {
        try await SwarmTestStack.with(prefix: "canary") { stack in
            let host = try TemporaryDirectory(prefix: "canary-host")
            defer { host.remove() }
            let known = "canary-known-\(UUID().uuidString)"
            let unknown = "canary-unknown-\(UUID().uuidString)"
            try host.write("unknown", unknown)
            try Self.write(stack, leak: leak, hostFolder: host.path)

            let run = try await stack.sprocketctl(["up", "--yes", "--json", "--verbose"], environment: ["CANARY_VALUE": known])
            #expect(run.status != 0, "the canary's service fails: \(run.stdout)\(run.stderr)")
            switch leak {
            case .probeBody:
                #expect(run.stdout.contains("check-failed") || run.stderr.contains("expected"), "the failed check is reported: \(run.stdout)\(run.stderr)")
            case .crashLog:
                #expect(run.stderr.contains("talker"), "the crash is reported: \(run.stderr)")
            }
            let history = try await stack.sprocketctl(["history", "--json"], environment: ["CANARY_VALUE": known])
            let persisted = Self.files(under: stack.stateFolder.path)
            #expect(!persisted.isEmpty, "the run recorded its outcome")

            for (sink, text) in [("stdout (events)", run.stdout), ("stderr (messages and log)", run.stderr), ("history", history.stdout + history.stderr)] {
                #expect(!text.contains(known), "the canary leaked into \(sink)")
            }
            #expect(persisted.filter { $0.text.contains(known) }.map(\.path) == [], "the canary leaked into the state folder")
            #expect(persisted.filter { $0.text.contains(unknown) }.map(\.path) == [], "a raw probe body or log line was persisted in the state folder")
        }
    }

    /// Every readable file under `path`, with its path relative to it (to name the file that leaked).
    static func files(under path: String) -> [(path: String, text: String)] {
        guard let enumerator = FileManager.default.enumerator(atPath: path) else { return [] }
        return enumerator.compactMap { $0 as? String }.compactMap { relative in
            (try? String(contentsOfFile: "\(path)/\(relative)", encoding: .utf8)).map { (relative, $0) }
        }
    }
}
