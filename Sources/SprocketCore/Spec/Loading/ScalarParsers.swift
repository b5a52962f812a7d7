/// What is wrong with a scalar's text, before the caller adds which key it belongs to.
struct SpecValueProblem: Error, Equatable {
    var message: String
    var hint: String?
}

/// Pure parsers for the typed scalars of the spec: integers, booleans, durations, memory sizes, CPUs
/// and file modes. They take text (after interpolation), so `replicas: ${n}` and `replicas: 3` go
/// through the same code.
enum ScalarParsers {
    /// A decimal integer with an optional sign.
    static func integer(_ text: String) -> Int? {
        let trimmed = text.hasPrefix("+") ? String(text.dropFirst()) : text
        guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") }) else { return nil }
        return Int(trimmed)
    }

    /// `true` or `false` in any of YAML 1.2's spellings. `yes`/`no`/`on`/`off` are rejected: Compose
    /// reads them as strings, and accepting them here would make the same file mean two things.
    static func boolean(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": true
        case "false", "False", "FALSE": false
        default: nil
        }
    }

    static let memoryUnits: [String: Int64] = [
        "b": 1,
        "k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10,
        "m": 1 << 20, "mb": 1 << 20, "mib": 1 << 20,
        "g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30,
        "t": 1 << 40, "tb": 1 << 40, "tib": 1 << 40,
    ]

    /// A memory size in bytes: a byte count, or a number with a binary unit (`512m`, `1.5GB`, `256MiB`).
    ///
    /// Units are powers of 1024 whatever their spelling, as in Docker (`1g` is 1 GiB); fractions are
    /// truncated to whole bytes.
    static func memoryBytes(_ text: String) -> Result<Int64, SpecValueProblem> {
        let hint = "write bytes or a number with a unit: `512m`, `1g`, `256MiB`, `1.5GB`"
        let (number, unit) = splitNumber(trim(text))
        guard let decimal = DecimalText(number) else {
            return .failure(SpecValueProblem(message: "invalid memory size `\(text)`", hint: hint))
        }
        let unitKey = trim(unit).lowercased()
        guard let multiplier = unitKey.isEmpty ? 1 : memoryUnits[unitKey] else {
            let suggestion = SpecSuggestions.closest(to: unitKey, in: memoryUnits.keys.sorted())
            return .failure(SpecValueProblem(
                message: "unknown unit `\(unit)` in memory size `\(text)`",
                hint: suggestion.map { "did you mean `\(number)\($0)`?" } ?? hint))
        }
        if unitKey.isEmpty, decimal.fractionDigits > 0 {
            return .failure(SpecValueProblem(message: "memory size `\(text)` is a fraction of a byte", hint: hint))
        }
        guard let bytes = decimal.scaled(by: multiplier) else {
            return .failure(SpecValueProblem(message: "memory size `\(text)` is too large", hint: hint))
        }
        return .success(bytes)
    }

    /// CPUs as Docker's NanoCPUs: `0.5` is exactly 500_000_000, with no floating-point rounding.
    static func nanoCPUs(_ text: String) -> Result<Int64, SpecValueProblem> {
        let hint = "write a decimal number of CPUs, e.g. `0.5` or `2`"
        guard let decimal = DecimalText(trim(text)) else {
            return .failure(SpecValueProblem(message: "invalid CPU count `\(text)`", hint: hint))
        }
        guard decimal.fractionDigits <= 9 else {
            return .failure(SpecValueProblem(message: "the CPU count `\(text)` is finer than a billionth of a CPU", hint: hint))
        }
        guard let nanos = decimal.scaled(by: 1_000_000_000) else {
            return .failure(SpecValueProblem(message: "the CPU count `\(text)` is too large", hint: hint))
        }
        return .success(nanos)
    }

    /// A file mode: `0444` or `0o444` is octal (as Compose writes it), `292` is decimal.
    static func fileMode(_ text: String) -> Result<UInt32, SpecValueProblem> {
        let hint = "write the mode in octal with a leading zero, e.g. `0444`, or as a decimal number"
        var digits = Substring(trim(text))
        var radix: UInt32 = 10
        if digits.hasPrefix("0o") || digits.hasPrefix("0O") {
            digits = digits.dropFirst(2)
            radix = 8
        } else if digits.count > 1, digits.hasPrefix("0") {
            radix = 8
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let mode = UInt32(digits, radix: Int(radix)) else {
            return .failure(SpecValueProblem(message: "invalid file mode `\(text)`", hint: hint))
        }
        return .success(mode)
    }

    /// Splits `1.5GB` into `1.5` and `GB`.
    static func splitNumber(_ text: String) -> (number: String, unit: String) {
        let number = text.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        return (String(number), String(text.dropFirst(number.count)))
    }
}

/// A non-negative decimal number kept as digits, so scaling by a unit is exact integer arithmetic.
struct DecimalText {
    var whole: Int64
    var fraction: Int64
    var fractionDigits: Int

    init?(_ text: String) {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let wholeText = parts.first.map(String.init) ?? ""
        let fractionText = parts.count > 1 ? String(parts[1]) : ""
        guard !(wholeText.isEmpty && fractionText.isEmpty),
            (wholeText + fractionText).allSatisfy({ $0.isASCII && $0.isNumber }),
            let whole = wholeText.isEmpty ? 0 : Int64(wholeText)
        else { return nil }
        // Digits past the 18th cannot change a result measured in whole units and would overflow Int64.
        let kept = String(fractionText.prefix(18))
        self.whole = whole
        self.fraction = kept.isEmpty ? 0 : Int64(kept) ?? 0
        self.fractionDigits = fractionText.count
    }

    /// `value * multiplier`, truncated toward zero; nil on overflow.
    func scaled(by multiplier: Int64) -> Int64? {
        let (wholePart, overflow) = whole.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { return nil }
        var fractionPart: Int64 = 0
        if fraction > 0 {
            let digits = min(fractionDigits, 18)
            let divisor = (0..<digits).reduce(Int64(1)) { value, _ in value * 10 }
            // (fraction * multiplier) / divisor without overflow: split the multiplier.
            let (quotient, remainder) = multiplier.quotientAndRemainder(dividingBy: divisor)
            // fraction < divisor, so neither product below can overflow.
            fractionPart = fraction * quotient + divisor.dividingFullWidth(fraction.multipliedFullWidth(by: remainder)).quotient
        }
        let (total, overflowTotal) = wholePart.addingReportingOverflow(fractionPart)
        return overflowTotal ? nil : total
    }
}

extension ScalarParsers {
    /// The text without leading and trailing spaces and tabs (Foundation-free).
    static func trim(_ text: String) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(text[first...last])
    }
}
