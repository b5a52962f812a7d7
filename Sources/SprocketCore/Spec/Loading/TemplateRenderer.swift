import Mustache

/// Renders config templates (`template:`, `template_content:`) with Mustache over the resolved settings.
enum TemplateRenderer {
    /// Mustache escapes HTML by default; config files are not HTML, so every template starts in text mode.
    private static let textPragma = "{{% CONTENT_TYPE: TEXT}}"

    /// Renders `template`.
    ///
    /// - Parameters:
    ///   - origin: where line 1, column 1 of the template is: the template file, or the inline scalar
    ///     (whose positions are then approximate).
    /// - Returns: the rendered text, or nil after reporting a syntax error.
    static func render(_ template: String, settings: Settings, origin: SourceLocation, diagnostics: SpecDiagnosticCollector) -> String? {
        do {
            let parsed = try MustacheTemplate(string: textPragma + template)
            return parsed.render(context(for: settings))
        } catch let error as MustacheTemplate.ParserError {
            let line = error.context.lineNumber
            let column = line == 1 ? max(1, error.context.columnNumber - textPragma.count) : error.context.columnNumber
            let location = SourceLocation(
                file: origin.file, line: origin.line + line - 1, column: line == 1 ? origin.column + column - 1 : column)
            diagnostics.error(location, "invalid Mustache template: \(describe(error.error))",
                              hint: "check that every `{{#section}}` has a matching `{{/section}}` and every tag is closed")
            return nil
        } catch {
            diagnostics.error(origin, "invalid Mustache template: \(error)", hint: "check the template syntax")
            return nil
        }
    }

    /// Settings as Mustache values: booleans drive `{{#flag}}` sections, the rest render as text.
    static func context(for settings: Settings) -> [String: Any] {
        var context: [String: Any] = [:]
        for name in settings.names {
            switch settings[name] {
            case .string(let value): context[name] = value
            case .integer(let value): context[name] = value
            case .boolean(let value): context[name] = value
            case nil: continue
            }
        }
        return context
    }

    private static func describe(_ error: any Error) -> String {
        guard let mustacheError = error as? MustacheTemplate.Error else { return "\(error)" }
        switch mustacheError {
        case .sectionCloseNameIncorrect: return "a section is closed with the wrong name"
        case .unfinishedName: return "a tag is not closed"
        case .expectedSectionEnd: return "a section is not closed"
        case .invalidSetDelimiter: return "invalid set-delimiter tag"
        default: return "\(mustacheError)"
        }
    }
}
