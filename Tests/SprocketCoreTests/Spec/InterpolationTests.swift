import Testing
@testable import SprocketCore

/// `${name}` substitution, its escapes, Compose's extra forms, and where an undefined name is reported.
@Suite("Interpolation")
struct InterpolationTests {
    static let values = ["domain": "example.org", "port": "8080", "empty": ""]

    static func interpolate(_ text: String, style: YAMLScalar.Style = .plain, verbatimOffset: Int? = 0, compose: Bool = false,
                            environment: [String: String] = [:]) -> (String, [SpecDiagnostic]) {
        let diagnostics = SpecDiagnosticCollector()
        let interpolator = Interpolator(values: values, isCompose: compose, processEnvironment: environment)
        let scalar = YAMLScalar(text: text, style: style, verbatimOffset: verbatimOffset)
        let result = interpolator.interpolate(scalar, at: SourceLocation(file: "f.yaml", line: 3, column: 10), diagnostics: diagnostics)
        return (result, diagnostics.diagnostics)
    }

    @Test("stack files substitute `${name}` and keep everything else", arguments: [
        ("https://${domain}:${port}/", "https://example.org:8080/"),
        ("$${domain} is literal", "${domain} is literal"),
        ("$$ and $HOME and $(date) stay", "$$ and $HOME and $(date) stay"),
        ("cost: 5$", "cost: 5$"),
        ("${empty}x", "x"),
    ])
    func stackForms(text: String, expected: String) {
        let (result, diagnostics) = Self.interpolate(text)
        #expect(result == expected)
        #expect(diagnostics.isEmpty)
    }

    @Test("Compose files also take `$VAR`, defaults, `$$` and the process environment", arguments: [
        ("${TAG:-latest}", "latest"), ("${EMPTY:-fallback}", "fallback"), ("${EMPTY-fallback}", ""), ("$HOME/x", "/root/x"),
        ("$$HOME", "$HOME"), ("$${TAG}", "${TAG}"), ("${domain}", "example.org"), ("a${HOME}b", "a/rootb"),
    ])
    func composeForms(text: String, expected: String) {
        let (result, diagnostics) = Self.interpolate(text, compose: true, environment: ["HOME": "/root", "EMPTY": ""])
        #expect(result == expected)
        #expect(diagnostics.isEmpty)
    }

    @Test("a required Compose variable that is unset is an error with its message")
    func requiredVariable() {
        let (_, diagnostics) = Self.interpolate("${TOKEN:?set the token}", compose: true)
        #expect(diagnostics.map(\.message) == ["variable `TOKEN` is required: set the token"])
    }

    @Test("an undefined name is reported at its own column when the text is written verbatim", arguments: [
        (YAMLScalar.Style.plain, 0 as Int?, 14), (.doubleQuoted, 1, 15), (.singleQuoted, 1, 15), (.literal, nil, 10), (.plain, nil, 10),
    ])
    func columns(style: YAMLScalar.Style, offset: Int?, column: Int) throws {
        let (_, diagnostics) = Self.interpolate("web-${domian}", style: style, verbatimOffset: offset)
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.message == "undefined setting `domian`")
        #expect(diagnostic.hint == "did you mean `domain`?")
        #expect(diagnostic.location == SourceLocation(file: "f.yaml", line: 3, column: column))
    }

    @Test("malformed references are errors in stack files", arguments: [
        ("${domain", "unterminated `${`"), ("${a:-b}", "invalid setting reference `${a:-b}`"), ("${}", "invalid setting reference `${}`"),
        ("${9x}", "invalid setting reference"),
    ])
    func malformed(text: String, message: String) {
        let (_, diagnostics) = Self.interpolate(text)
        #expect(diagnostics.first?.message.contains(message) == true)
        #expect(diagnostics.first?.hint != nil)
    }

    @Test("the reader records where a scalar's text starts on its line")
    func verbatimOffsets() throws {
        let text = "a: plain ${x}\nb: \"quoted\"\nc: 'it''s'\nd: folded\n  over lines\ne: |\n  block\n"
        guard case .document(let root) = YAMLReader.parse(text, file: "f.yaml", diagnostics: SpecDiagnosticCollector()) else {
            Issue.record("the document did not parse")
            return
        }
        let offsets = try #require(root.mapping).map { $0.value.scalar?.verbatimOffset }
        #expect(offsets == [0, 1, nil, nil, nil])
    }
}
