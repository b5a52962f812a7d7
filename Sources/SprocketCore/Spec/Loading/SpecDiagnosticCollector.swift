/// Gathers every problem found while loading, so one run reports all of them instead of the first.
///
/// A class because every parser of one load appends to the same list; it never leaves the loading call,
/// so it needs no synchronisation.
final class SpecDiagnosticCollector {
    private(set) var diagnostics: [SpecDiagnostic] = []

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    func error(_ location: SourceLocation, _ message: String, hint: String? = nil) {
        diagnostics.append(SpecDiagnostic(location, message, hint: hint))
    }

    func warning(_ location: SourceLocation, _ message: String, hint: String? = nil) {
        diagnostics.append(SpecDiagnostic(location, message, hint: hint, severity: .warning))
    }

    func append(contentsOf more: [SpecDiagnostic]) {
        diagnostics.append(contentsOf: more)
    }

    /// The diagnostics ordered for reading: files in the order they were first mentioned, then by position.
    func sorted() -> [SpecDiagnostic] {
        var fileOrder: [String: Int] = [:]
        for diagnostic in diagnostics where fileOrder[diagnostic.location.file] == nil {
            fileOrder[diagnostic.location.file] = fileOrder.count
        }
        return diagnostics.enumerated().sorted { left, right in
            let (a, b) = (left.element.location, right.element.location)
            let (fileA, fileB) = (fileOrder[a.file] ?? 0, fileOrder[b.file] ?? 0)
            if fileA != fileB { return fileA < fileB }
            if a.line != b.line { return a.line < b.line }
            if a.column != b.column { return a.column < b.column }
            return left.offset < right.offset
        }.map(\.element)
    }
}
