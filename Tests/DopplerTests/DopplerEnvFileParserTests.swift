import Doppler
import Testing

@Suite("Doppler env file parser")
struct DopplerEnvFileParserTests {
    private let parser = SecretEnvFileParser()

    /// Parses text that must fail and returns its problems.
    private func problems(_ text: String, parser: SecretEnvFileParser = SecretEnvFileParser()) throws
        -> [SecretEnvFileError.Problem]
    {
        let error = try #require(throws: SecretEnvFileError.self) { try parser.parse(text, source: "test.env") }
        return error.problems
    }

    @Test("a well-formed file: comments, export, quotes, escapes, multi-line PEM, empty value, leading BOM")
    func wellFormed() throws {
        let text = """
            \u{FEFF}# generated
            export GOOGLE_CLIENT_ID=1234.apps.googleusercontent.com

            JWT_SECRET="a\\"b\\\\c\\nd" # trailing comment
            LITERAL='no \\n escapes "here"'
            PEM="-----BEGIN KEY-----
            abc
            -----END KEY-----"
            EMPTY=
            """
        let file = try parser.parse(text, source: "test.env")
        #expect(file.entries.map(\.name) == ["GOOGLE_CLIENT_ID", "JWT_SECRET", "LITERAL", "PEM", "EMPTY"])
        #expect(file.entries.map(\.line) == [2, 4, 5, 6, 9])
        let values = file.values.mapValues(\.unredactedValue)
        #expect(values["GOOGLE_CLIENT_ID"] == "1234.apps.googleusercontent.com")
        #expect(values["JWT_SECRET"] == "a\"b\\c\nd")
        #expect(values["LITERAL"] == #"no \n escapes "here""#)
        #expect(values["PEM"] == "-----BEGIN KEY-----\nabc\n-----END KEY-----")
        #expect(values["EMPTY"] == "")
    }

    @Test("the original's duplicate REDIS_PASSWORD lines: an error naming both lines")
    func duplicateRedisPassword() throws {
        let found = try problems("REDIS_PASSWORD=first-canary\nJWT_SECRET=x\nREDIS_PASSWORD=second-canary\n")
        #expect(found == [.init(line: 3, kind: .duplicate(name: "REDIS_PASSWORD", firstLine: 1))])
        let error = SecretEnvFileError(source: "test.env", problems: found)
        #expect(error.description == "test.env:3: REDIS_PASSWORD is assigned again (first on line 1); keep one")
    }

    @Test(
        "the original's malformed JWT_SECRET (a generated value with specials) is refused, never echoed",
        arguments: [
            ("JWT_SECRET=k9\"Zq$canary'x\n", SecretEnvFileError.Kind.strayQuote(name: "JWT_SECRET")),
            ("JWT_SECRET=\"k9Zq\"canary\"\n", .textAfterClosingQuote(name: "JWT_SECRET")),
            ("JWT_SECRET=\"k9Zq\\canary\"\n", .unknownEscape(name: "JWT_SECRET")),
            ("JWT_SECRET=k9Zq #canary\n", .ambiguousComment(name: "JWT_SECRET")),
            ("JWT_SECRET= canary\n", .surroundingWhitespace(name: "JWT_SECRET")),
        ])
    func malformedJWT(text: String, kind: SecretEnvFileError.Kind) throws {
        let error = try #require(throws: SecretEnvFileError.self) { try parser.parse(text, source: "test.env") }
        #expect(error.problems == [.init(line: 1, kind: kind)])
        #expect(!error.description.contains("canary"))
        #expect(error.description.hasPrefix("test.env:1: JWT_SECRET"))
    }

    @Test("an unterminated quote swallows nothing silently: reported on the line it opened")
    func unterminated() throws {
        #expect(try problems("A=1\nJWT_SECRET=\"canary\nB=2\n") == [.init(line: 2, kind: .unterminatedQuote(name: "JWT_SECRET"))])
    }

    @Test("a token broken over two lines (INFLUX_ADMIN_TOKEN, FORWARD_AUTH_SECRET): the fragment line is refused")
    func brokenToken() throws {
        let found = try problems("INFLUX_ADMIN_TOKEN=Zm9vYmFyYmF6cXV4\nq+canary/frag==\nFORWARD_AUTH_SECRET=abc\ndefcanary\n")
        #expect(found == [
            .init(line: 2, kind: .invalidName(rule: "[A-Z_][A-Z0-9_]*", after: "INFLUX_ADMIN_TOKEN")),
            .init(line: 4, kind: .notAnAssignment(after: "FORWARD_AUTH_SECRET")),
        ])
        let text = SecretEnvFileError(source: "s", problems: found).description
        #expect(!text.contains("canary"))
        #expect(text.contains("continues the value of INFLUX_ADMIN_TOKEN"))
    }

    @Test("CRLF: a value with a trailing carriage return is an error, not a silent \\r in the secret")
    func carriageReturn() throws {
        #expect(try problems("A=1\r\nB=\"x\r\ny\"\n") == [
            .init(line: 1, kind: .carriageReturn(name: "A")), .init(line: 2, kind: .carriageReturn(name: "B")),
        ])
    }

    @Test("a byte-order mark is fine at the start, an error anywhere else; invalid UTF-8 is an error")
    func encoding() throws {
        #expect(try parser.parse(Array("\u{FEFF}A=1".utf8), source: "s").entries.map(\.name) == ["A"])
        #expect(try problems("A=1\n\u{FEFF}B=2\n").map(\.kind).contains(.byteOrderMarkInside))
        let error = try #require(throws: SecretEnvFileError.self) {
            try parser.parse([0x41, 0x3D, 0xFF, 0x0A, 0x42, 0x3D, 0x31], source: "s")
        }
        #expect(error.problems == [.init(line: 1, kind: .invalidUTF8)])
    }

    @Test(
        "names: Doppler's rule by default, POSIX when configured",
        arguments: [("lower_case", false, true), ("1ABC", false, false), ("A-B", false, false), ("_OK_1", true, true)])
    func names(name: String, dopplerAccepts: Bool, posixAccepts: Bool) throws {
        let text = "\(name)=v"
        #expect(((try? SecretEnvFileParser(nameRule: .doppler).parse(text, source: "s")) != nil) == dopplerAccepts)
        #expect(((try? SecretEnvFileParser(nameRule: .posix).parse(text, source: "s")) != nil) == posixAccepts)
    }

    @Test("whitespace around the name or =, and every problem collected at once")
    func collectsAll() throws {
        let found = try problems("A =1\n  B=2\nC=\"x\"y\nC=3\n")
        #expect(found == [
            .init(line: 1, kind: .surroundingWhitespace(name: "A")),
            .init(line: 2, kind: .surroundingWhitespace(name: "B")),
            .init(line: 3, kind: .textAfterClosingQuote(name: "C")),
            .init(line: 4, kind: .duplicate(name: "C", firstLine: 3)),
        ])
    }
}
