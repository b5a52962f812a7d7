import Testing
@testable import SprocketCore

/// The Traefik rule grammar per version: valid rules from Traefik's documentation parse, invalid ones are
/// rejected at the column where the problem starts.
@Suite("Routing: Traefik rule parser")
struct RoutingRuleParserTests {
    struct Invalid: Sendable, CustomStringConvertible {
        var rule: String
        var version: TraefikMajorVersion
        var column: Int
        var fragment: String

        init(_ rule: String, _ version: TraefikMajorVersion = .v3, column: Int, _ fragment: String) {
            self.rule = rule
            self.version = version
            self.column = column
            self.fragment = fragment
        }

        var description: String { "\(version.rawValue): \(rule)" }
    }

    /// Columns counted by hand: 1-based characters of the rule.
    static let invalid: [Invalid] = [
        Invalid("Host(`example.com)", column: 6, "unterminated backtick"),
        Invalid("Host()", column: 6, "expected a value in backticks for `Host`, found `)`"),
        Invalid("Host(`a.com`, `b.com`)", column: 15, "`Host` takes 1 value in Traefik v3, found 2"),
        Invalid("PathRegexp(`^/api`)", .v2, column: 1, "`PathRegexp` is a Traefik v3 matcher, unknown in v2"),
        Invalid("Headers(`X-A`, `b`)", column: 1, "`Headers` is a Traefik v2 matcher, unknown in v3"),
        Invalid("HostHeader(`a.com`)", column: 1, "`HostHeader` is a Traefik v2 matcher"),
        Invalid("Host(`a.com`) &&", column: 17, "expected a matcher, `!` or `(` after `&&`, found the end of the rule"),
        Invalid("Hots(`a.com`)", column: 1, "unknown matcher `Hots`"),
        Invalid("(Host(`a.com`)", column: 15, "expected `)` to close the `(` at column 1"),
        Invalid("Host(`a.com`))", column: 14, "expected `&&`, `||` or the end of the rule, found `)`"),
        Invalid("Host('a.com')", column: 6, "single quotes are not accepted"),
        Invalid("Host(`a.com`) & Path(`/x`)", column: 15, "expected `&&`, found a single `&`"),
        Invalid("Host(`a.com`) | Path(`/x`)", column: 15, "expected `||`, found a single `|`"),
        Invalid("Host(`a.com`", column: 13, "expected `,` or `)` in `Host(...)`, found the end of the rule"),
        Invalid("Host", column: 5, "expected `(` after `Host`"),
        Invalid("Host(`a.com`,)", column: 14, "expected a value in backticks for `Host`, found `)`"),
        Invalid("PathPrefix(`api`)", column: 12, "path `api` of `PathPrefix` does not start with `/`"),
        Invalid("Path(`/products/{id}`)", column: 6, "no `{name}` placeholders in Traefik v3"),
        Invalid("Header(`X-Key`)", column: 15, "`Header` takes 2 values in Traefik v3, found 1"),
        Invalid("Host(`a.com`) Path(`/x`)", column: 15, "found `Path`"),
        Invalid("!", column: 2, "expected a matcher, `!` or `(` after `!`"),
        Invalid("", column: 1, "the rule is empty"),
        Invalid("Host(`a.com`) || (Path(`/a`) && )", column: 33, "found `)`"),
        Invalid("Host(\"a.com)", column: 6, "unterminated double-quoted string"),
        Invalid("HostRegexp(\"^[a-z]+\\.example\\.com$\")", column: 20, "invalid escape `\\.`"),
        Invalid("Method(`GET`, `POST`)", column: 15, "`Method` takes 1 value in Traefik v3, found 2"),
        Invalid("Host(`exämple.com`)", column: 6, "non-ASCII"),
        Invalid("ClientIP()", .v2, column: 10, "expected a value in backticks for `ClientIP`"),
        Invalid("Headers(`X-A`)", .v2, column: 14, "`Headers` takes 2 values in Traefik v2, found 1"),
        Invalid("Query(`a`, `b`, `c`)", column: 17, "`Query` takes 1 or 2 values in Traefik v3, found 3"),
        Invalid("Host(`a.com`) && || Path(`/`)", column: 18, "found `||`"),
        Invalid("Host(`a.com`) && Path(`/x` `/y`)", column: 28, "expected `,` or `)` in `Path(...)`, found the string `/y`"),
        Invalid("QueryRegexp(`a`, `b`)", .v2, column: 1, "`QueryRegexp` is a Traefik v3 matcher"),
        Invalid("Host(``)", column: 6, "`Host` has an empty value"),
        Invalid("1Host(`a`)", column: 1, "unexpected character `1`"),
        Invalid("Path(`x`)", .v2, column: 6, "does not start with `/`"),
        Invalid("Host(`a.com) && Path(`/x`)", column: 23, "unexpected character `/`"),
    ]

    @Test("an invalid rule is rejected at its column, saying what was expected", arguments: invalid)
    func rejects(_ case: Invalid) {
        do {
            let parsed = try TraefikRuleParser(version: `case`.version).parse(`case`.rule)
            Issue.record("accepted: \(parsed)")
        } catch {
            #expect(error.column == `case`.column, "\(error)")
            #expect(error.message.contains(`case`.fragment), "\(error.message)")
        }
    }

    @Test("a backtick left open pairs with the next one; the error says which string may lack one")
    func earlyBacktick() {
        #expect(throws: TraefikRuleError(column: 23, message: "unexpected character `/`, expected a matcher such as Host",
                                         hint: "the backtick string from column 6 to 22 may be missing a backtick")) {
            try TraefikRuleParser(version: .v3).parse("Host(`a.com) && Path(`/x`)")
        }
    }

    @Test("there are at least 25 invalid rules, on both versions")
    func coverage() {
        #expect(Self.invalid.count >= 25)
        #expect(Set(Self.invalid.map(\.version)) == [.v2, .v3])
    }

    /// Examples from Traefik v3's rules-and-priority page and the v2-to-v3 migration guide.
    static let validV3 = [
        "Host(`example.com`)",
        "Host(`example.com`) && Path(`/traefik`)",
        "Host(`traefik.example.com`) && (PathPrefix(`/api`) || PathPrefix(`/dashboard`))",
        "HostRegexp(`^[a-z]+\\.traefik\\.com$`)",
        "PathRegexp(`^/products/[^/]+$`)",
        "Header(`Content-Type`, `application/json`)",
        "HeaderRegexp(`Content-Type`, `^application/(json|yaml)$`)",
        "Query(`mobile`, `true`)",
        "Query(`mobile`)",
        "QueryRegexp(`mobile`, `^(true|yes)$`)",
        "ClientIP(`10.76.105.11`)",
        "ClientIP(`::1`)",
        "Method(`GET`)",
        "!Host(`example.com`)",
        "Host(\"example.com\") && PathPrefix(\"/api\")",
        "Host(`a.com`) || Host(`b.com`)",
        "host(`example.com`) && Pathprefix(`/a`)",
    ]

    /// Examples from Traefik v2.11's routers page.
    static let validV2 = [
        "Host(`example.com`, `example.org`)",
        "HostHeader(`example.com`)",
        "HostRegexp(`example.com`, `{subdomain:[a-z]+}.example.com`)",
        "Path(`/path`, `/articles/{cat:[a-z]+}/{id:[0-9]+}`)",
        "PathPrefix(`/products/`, `/articles/{cat:[a-z]+}/{id:[0-9]+}`)",
        "Headers(`key`, `value`)",
        "HeadersRegexp(`key`, `regexp`)",
        "Query(`foo=bar`, `bar=baz`)",
        "ClientIP(`10.0.0.0/16`, `::1`)",
        "Method(`GET`, `POST`)",
        "Host(`example.com`) && (Path(`/traefik`) || PathPrefix(`/api`))",
        "!Method(`DELETE`) && HOST(`example.com`)",
    ]

    @Test("Traefik v3's documented rules parse", arguments: validV3)
    func acceptsV3(_ rule: String) throws {
        let parsed = try TraefikRuleParser(version: .v3).parse(rule)
        #expect(try TraefikRuleParser(version: .v3).parse(parsed.description) == parsed, "the canonical form reads back the same")
    }

    @Test("Traefik v2.11's documented rules parse", arguments: validV2)
    func acceptsV2(_ rule: String) throws {
        let parsed = try TraefikRuleParser(version: .v2).parse(rule)
        #expect(try TraefikRuleParser(version: .v2).parse(parsed.description) == parsed)
    }

    @Test("`&&` binds tighter than `||`, `!` tighter than both, parentheses group")
    func precedence() throws {
        func matcher(_ name: String, _ value: String, at column: Int) -> TraefikRule {
            .matcher(TraefikMatcher(name: name, arguments: [value], column: column))
        }
        let parser = TraefikRuleParser(version: .v3)
        let first = try parser.parse("Host(`a`) || Host(`b`) && Path(`/c`)")
        #expect(first == .or(matcher("Host", "a", at: 1), .and(matcher("Host", "b", at: 14), matcher("Path", "/c", at: 27))))
        let second = try parser.parse("!Host(`a`) && (Path(`/b`) || Path(`/c`))")
        #expect(second == .and(.not(matcher("Host", "a", at: 2)), .or(matcher("Path", "/b", at: 16), matcher("Path", "/c", at: 30))))
        #expect(second.description == "!Host(`a`) && (Path(`/b`) || Path(`/c`))")
        #expect(try parser.parse("host(\"a\\\"b\")").matchers.first?.arguments == ["a\"b"], "escaped quote in a quoted string")
    }
}
