/// Finds `${name}` references in a string without resolving them, so the same scan serves value
/// interpolation and the settings resolver (which needs the references to detect cycles).
///
/// Stack files know only `${name}` and the escape `$${`. Plain Compose files also get Compose's own
/// forms (`$NAME`, `${NAME:-default}`, `${NAME-default}`, `${NAME:?message}`, `${NAME?message}`, `$$`),
/// so an existing `docker-compose.yml` reads as Compose would read it.
enum InterpolationScanner {
    enum Piece: Equatable {
        case literal(String)
        case reference(Reference)
        /// A `${` that is not a valid reference; `offset` is where the `$` is.
        case malformed(offset: Int, problem: SpecValueProblem)
    }

    struct Reference: Equatable {
        var name: String
        /// Offset of the `$` from the start of the text, in Unicode scalars (libyaml's column unit).
        var offset: Int
        var fallback: Fallback?
    }

    /// Compose's modifiers.
    enum Fallback: Equatable {
        /// `:-` (when unset or empty) or `-` (when unset).
        case value(String, whenEmpty: Bool)
        /// `:?` or `?`: an error with this message.
        case required(String, whenEmpty: Bool)
    }

    static func scan(_ text: String, compose: Bool) -> [Piece] {
        let scalars = Array(text.unicodeScalars)
        var pieces: [Piece] = []
        var literal = String.UnicodeScalarView()
        func flush() {
            if !literal.isEmpty { pieces.append(.literal(String(literal))) }
            literal = String.UnicodeScalarView()
        }
        var index = 0
        while index < scalars.count {
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            guard scalars[index] == "$", let next else {
                literal.append(scalars[index])
                index += 1
                continue
            }
            if next == "$" {
                let isBraceEscape = index + 2 < scalars.count && scalars[index + 2] == "{"
                literal.append("$")
                if isBraceEscape { literal.append("{") } else if !compose { literal.append("$") }
                index += isBraceEscape ? 3 : 2
            } else if next == "{" {
                guard let close = scalars[(index + 2)...].firstIndex(of: "}") else {
                    flush()
                    pieces.append(.malformed(offset: index, problem: SpecValueProblem(
                        message: "unterminated `${` in `\(text)`", hint: "close the reference with `}`, or write `$${` for a literal `${`")))
                    return pieces
                }
                flush()
                pieces.append(braced(String(String.UnicodeScalarView(scalars[(index + 2)..<close])), offset: index, compose: compose))
                index = close + 1
            } else if compose, isNameStart(next) {
                let end = scalars[(index + 1)...].firstIndex { !isNameCharacter($0, compose: true) } ?? scalars.count
                flush()
                pieces.append(.reference(Reference(name: String(String.UnicodeScalarView(scalars[(index + 1)..<end])), offset: index)))
                index = end
            } else {
                literal.append("$")
                index += 1
            }
        }
        flush()
        return pieces
    }

    /// Whether `name` is a valid setting name: `[A-Za-z_][A-Za-z0-9_.-]*`.
    static func isSettingName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, isNameStart(first) else { return false }
        return name.unicodeScalars.allSatisfy { isNameCharacter($0, compose: false) }
    }

    private static func braced(_ inner: String, offset: Int, compose: Bool) -> Piece {
        if !compose {
            if isSettingName(inner) { return .reference(Reference(name: inner, offset: offset)) }
            let isDefault = inner.contains(":-") || inner.contains(":?")
            return .malformed(offset: offset, problem: SpecValueProblem(
                message: "invalid setting reference `${\(inner)}`",
                hint: isDefault
                    ? "defaults belong under `settings:` in stack.yaml; reference the setting as `${name}`"
                    : "setting names are letters, digits, `_`, `.` and `-`, starting with a letter or `_`"))
        }
        let name = String(inner.unicodeScalars.prefix { isNameCharacter($0, compose: true) })
        let modifier = inner.dropFirst(name.count)
        guard let first = name.unicodeScalars.first, isNameStart(first) else {
            return .malformed(offset: offset, problem: SpecValueProblem(
                message: "invalid variable reference `${\(inner)}`", hint: "write `${NAME}` or `${NAME:-default}`"))
        }
        let operators: [(String, (String) -> Fallback)] = [
            (":-", { .value($0, whenEmpty: true) }), ("-", { .value($0, whenEmpty: false) }),
            (":?", { .required($0, whenEmpty: true) }), ("?", { .required($0, whenEmpty: false) }),
        ]
        if modifier.isEmpty { return .reference(Reference(name: name, offset: offset)) }
        for (symbol, make) in operators where modifier.hasPrefix(symbol) {
            return .reference(Reference(name: name, offset: offset, fallback: make(String(modifier.dropFirst(symbol.count)))))
        }
        return .malformed(offset: offset, problem: SpecValueProblem(
            message: "invalid variable reference `${\(inner)}`", hint: "write `${NAME}`, `${NAME:-default}` or `${NAME:?message}`"))
    }

    private static func isNameStart(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || (scalar.isASCII && scalar.properties.isAlphabetic)
    }

    private static func isNameCharacter(_ scalar: Unicode.Scalar, compose: Bool) -> Bool {
        if scalar == "_" || (scalar.isASCII && (scalar.properties.isAlphabetic || scalar.properties.numericType != nil)) { return true }
        return !compose && (scalar == "." || scalar == "-")
    }
}
