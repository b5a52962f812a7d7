import Testing
@testable import SprocketCore

/// The pure parsers behind typed keys.
@Suite("Scalar parsers")
struct ScalarParserTests {
    @Test("Go-style durations parse to exact values", arguments: [
        ("1h2m3s", Duration.seconds(3723)), ("500ms", .milliseconds(500)), ("1.5s", .milliseconds(1500)), ("90s", .seconds(90)),
        ("0", .zero), ("2h", .seconds(7200)), ("1m30s", .seconds(90)), ("250us", .microseconds(250)), ("10µs", .microseconds(10)),
        ("15ns", .nanoseconds(15)), ("+5m", .seconds(300)), (".5h", .seconds(1800)),
    ] as [(String, Duration)])
    func durations(text: String, expected: Duration) throws {
        #expect(try DurationParser.parse(text).get() == expected)
    }

    @Test("bad durations are rejected with a remedy", arguments: [
        ("90", "has no unit", "add a unit, e.g. `90s` for seconds or `90m` for minutes"),
        ("5mins", "unknown unit `mins`", "did you mean `5m`?"),
        ("10sec", "unknown unit `sec`", "did you mean `10s`?"),
        ("2hr", "unknown unit `hr`", "did you mean `2h`?"),
        ("3msx", "unknown unit `msx`", "did you mean `3ms`?"),
        ("1d", "unknown unit `d`", "days and weeks are not duration units; write hours, e.g. `24h`"),
        ("-5s", "is negative", "durations must be zero or more"),
        ("1h30", "without a unit after `30`", DurationParser.hint),
        ("fast", "invalid duration", DurationParser.hint),
        ("", "empty duration", DurationParser.hint),
    ])
    func badDurations(text: String, message: String, hint: String) throws {
        let problem = try #require(DurationParser.parse(text).failure)
        #expect(problem.message.contains(message))
        #expect(problem.hint == hint)
    }

    @Test("a bare number is seconds where Compose takes seconds")
    func bareSeconds() throws {
        #expect(try DurationParser.parse("30", bareSeconds: true).get() == .seconds(30))
        #expect(try DurationParser.parse("1.5", bareSeconds: true).get() == .milliseconds(1500))
    }

    @Test("memory sizes use binary units whatever their spelling", arguments: [
        ("512m", Int64(512) << 20), ("1g", 1 << 30), ("256MiB", 256 << 20), ("1.5GB", 3 << 29), ("1048576", 1 << 20),
        ("64k", 64 << 10), ("2TB", 2 << 40), ("100b", 100), ("0.5k", 512), ("1.1k", 1126),
    ] as [(String, Int64)])
    func memory(text: String, bytes: Int64) throws {
        #expect(try ScalarParsers.memoryBytes(text).get() == bytes)
    }

    @Test("bad memory sizes are rejected", arguments: [
        ("512x", "unknown unit `x`"), ("1.5", "fraction of a byte"), ("lots", "invalid memory size"), ("9999999999t", "too large"),
        ("12mbs", "unknown unit `mbs`"),
    ])
    func badMemory(text: String, message: String) throws {
        let problem = try #require(ScalarParsers.memoryBytes(text).failure)
        #expect(problem.message.contains(message))
        #expect(problem.hint != nil)
    }

    @Test("a misspelt memory unit suggests the right one")
    func memoryUnitSuggestion() throws {
        #expect(try #require(ScalarParsers.memoryBytes("12mbs").failure).hint == "did you mean `12mb`?")
        #expect(try #require(ScalarParsers.memoryBytes("1gig").failure).hint == "did you mean `1gib`?")
    }

    @Test("CPUs become exact nanoCPUs", arguments: [
        ("0.5", 500_000_000), ("2", 2_000_000_000), ("0.25", 250_000_000), ("1.000000001", 1_000_000_001), (".1", 100_000_000),
    ] as [(String, Int64)])
    func cpus(text: String, nanos: Int64) throws {
        #expect(try ScalarParsers.nanoCPUs(text).get() == nanos)
    }

    @Test("bad CPU counts are rejected", arguments: ["half", "-1", "0.0000000001", "1e3", "1.2.3"])
    func badCPUs(text: String) {
        #expect(ScalarParsers.nanoCPUs(text).failure != nil)
    }

    @Test("file modes are octal with a leading zero, else decimal", arguments: [
        ("0444", 0o444), ("0o440", 0o440), ("292", 292), ("0", 0), ("0755", 0o755),
    ] as [(String, UInt32)])
    func fileModes(text: String, mode: UInt32) throws {
        #expect(try ScalarParsers.fileMode(text).get() == mode)
    }

    @Test("short ports", arguments: [
        ("8080:80", PortParser.ShortPort(target: 80, published: 8080, transportProtocol: .tcp)),
        ("80", PortParser.ShortPort(target: 80, published: nil, transportProtocol: .tcp)),
        ("53:53/udp", PortParser.ShortPort(target: 53, published: 53, transportProtocol: .udp)),
        ("9000/sctp", PortParser.ShortPort(target: 9000, published: nil, transportProtocol: .sctp)),
        ("443:443/TCP", PortParser.ShortPort(target: 443, published: 443, transportProtocol: .tcp)),
    ])
    func shortPorts(text: String, port: PortParser.ShortPort) throws {
        #expect(try PortParser.parseShort(text).get() == port)
    }

    @Test("short ports Swarm cannot publish", arguments: [
        ("127.0.0.1:8080:80", "binds a host address", "Swarm publishes a port on every node"),
        ("[::1]:8080:80", "binds a host address", "Swarm publishes a port on every node"),
        ("8000-8010:8000-8010", "port range", "list each port"),
        ("80:80/http", "unknown protocol `http`", "`tcp`"),
        ("web:80", "invalid port", "write `TARGET`"),
    ])
    func badPorts(text: String, message: String, hint: String) throws {
        let problem = try #require(PortParser.parseShort(text).failure)
        #expect(problem.message.contains(message))
        #expect(problem.hint?.contains(hint) == true)
    }

    @Test("commands split like a shell, without expansion", arguments: [
        ("nginx -g 'daemon off;'", ["nginx", "-g", "daemon off;"]),
        (#"sh -c "echo \"$HOME\"""#, ["sh", "-c", #"echo "$HOME""#]),
        (#"echo a\ b "c\d""#, ["echo", "a b", #"c\d"#]),
        ("  spaced   out  ", ["spaced", "out"]),
        ("empty '' args", ["empty", "", "args"]),
        ("", []),
        ("a'b'c", ["abc"]),
    ])
    func shellSplitting(text: String, words: [String]) throws {
        #expect(try ShellSplitter.split(text).get() == words)
    }

    @Test("an unterminated quote is an error", arguments: ["echo 'hi", #"echo "hi"#])
    func unterminatedQuote(text: String) {
        #expect(ShellSplitter.split(text).failure?.message.contains("unterminated") == true)
    }

    @Test("did-you-mean finds near misses only", arguments: [
        ("imgae", "image"), ("replicas", nil), ("enviroment", "environment"), ("db", nil), ("Image", "image"), ("servics", "services"),
    ] as [(String, String?)])
    func suggestions(word: String, expected: String?) {
        let candidates = ["image", "environment", "services", "replicas"]
        #expect(SpecSuggestions.closest(to: word, in: candidates.filter { $0 != word }) == expected)
    }

    @Test("edit distance counts a swap as one edit")
    func editDistance() {
        #expect(SpecSuggestions.editDistance("imgae", "image") == 1)
        #expect(SpecSuggestions.editDistance("kitten", "sitting") == 3)
        #expect(SpecSuggestions.editDistance("", "abc") == 3)
    }
}

extension Result {
    /// The error of a failed result, for `#require`.
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
