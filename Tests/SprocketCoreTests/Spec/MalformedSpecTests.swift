import Foundation
import Testing
@testable import SprocketCore

/// Every malformed spec gives a diagnostic at the right place, with a message that names the problem
/// and a hint; none crashes; several errors are reported together.
@Suite("Malformed specs")
struct MalformedSpecTests {
    static let cases = MalformedSpecCase.syntaxCases + MalformedSpecCase.semanticCases + MalformedSpecCase.checkCases

    @Test("the table covers at least forty malformed specs")
    func tableSize() {
        #expect(Self.cases.count >= 40)
    }

    @Test("a malformed spec is reported at its file, line and column", arguments: cases)
    func reportsDiagnostic(_ testCase: MalformedSpecCase) throws {
        let spec = try testCase.write()
        defer { spec.remove() }
        let diagnostics = spec.diagnostics(environment: testCase.environment, variables: testCase.variables)
        let match = diagnostics.first { diagnostic in
            diagnostic.message.contains(testCase.message) && diagnostic.location.file == testCase.file
                && diagnostic.location.line == testCase.line && (testCase.column.map { $0 == diagnostic.location.column } ?? true)
                && diagnostic.severity == testCase.severity
        }
        #expect(match != nil, "expected \(testCase.file):\(testCase.line):\(testCase.column.map(String.init) ?? "*"): \(testCase.message)\ngot:\n\(diagnostics.map(\.description).joined(separator: "\n"))")
        #expect(match?.hint?.isEmpty == false, "every diagnostic says what to do")
        if let first = match?.message.first { #expect(!first.isUppercase, "messages start in lower case") }
    }
}
