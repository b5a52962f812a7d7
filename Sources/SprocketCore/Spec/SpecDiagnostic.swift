/// One problem found in a spec: where, what, and what to do about it.
public struct SpecDiagnostic: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Codable {
        case error
        case warning
    }

    public var location: SourceLocation
    public var severity: Severity
    public var message: String
    /// A remedy, e.g. "did you mean `replicas`?". Optional but strongly encouraged.
    public var hint: String?

    public init(_ location: SourceLocation, _ message: String, hint: String? = nil, severity: Severity = .error) {
        self.location = location
        self.severity = severity
        self.message = message
        self.hint = hint
    }

    /// `file:line:column: error: message (hint: ...)`, the format editors and CI annotations understand.
    public var description: String {
        var text = "\(location): \(severity.rawValue): \(message)"
        if let hint { text += "\n    hint: \(hint)" }
        return text
    }
}

/// Thrown by the loader and the validator: every error found, not just the first.
public struct SpecError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [SpecDiagnostic]

    public init(_ diagnostics: [SpecDiagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String {
        let errors = diagnostics.filter { $0.severity == .error }.count
        let header = "the spec has \(errors) error\(errors == 1 ? "" : "s")"
        return ([header] + diagnostics.map(\.description)).joined(separator: "\n")
    }
}
