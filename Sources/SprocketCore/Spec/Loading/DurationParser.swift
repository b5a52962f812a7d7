/// Go-style durations (`1h2m3s`, `500ms`, `1.5s`, `90s`), the form Docker and Compose use.
enum DurationParser {
    /// Nanoseconds per unit, as Go's `time.ParseDuration` accepts them.
    static let units: [String: Int64] = [
        "ns": 1, "us": 1_000, "µs": 1_000, "μs": 1_000, "ms": 1_000_000,
        "s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000,
    ]

    /// Spellings people try that are not Go units, with the unit they meant.
    private static let aliases: [String: String] = [
        "sec": "s", "secs": "s", "second": "s", "seconds": "s",
        "min": "m", "mins": "m", "minute": "m", "minutes": "m",
        "hr": "h", "hrs": "h", "hour": "h", "hours": "h",
        "msec": "ms", "msecs": "ms", "millisecond": "ms", "milliseconds": "ms",
    ]

    static let hint = "write a Go-style duration such as `90s`, `500ms`, `1.5s` or `1h2m3s`"

    /// Parses a duration.
    ///
    /// - Parameter bareSeconds: whether a number without a unit means seconds. False in stack files,
    ///   where `timeout: 30` is ambiguous; true in plain Compose files, which count bare numbers as seconds.
    static func parse(_ text: String, bareSeconds: Bool = false) -> Result<Duration, SpecValueProblem> {
        let input = ScalarParsers.trim(text)
        if input == "0" { return .success(.zero) }
        if input.hasPrefix("-") {
            return .failure(SpecValueProblem(message: "duration `\(text)` is negative", hint: "durations must be zero or more"))
        }
        var rest = Substring(input.hasPrefix("+") ? String(input.dropFirst()) : input)
        guard !rest.isEmpty else { return .failure(SpecValueProblem(message: "empty duration", hint: hint)) }
        if DecimalText(String(rest)) != nil {
            return bareNumber(String(rest), original: text, bareSeconds: bareSeconds)
        }
        var total: Int64 = 0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard let decimal = DecimalText(String(number)) else {
                return .failure(SpecValueProblem(message: "invalid duration `\(text)`", hint: hint))
            }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            rest = rest.dropFirst(unit.count)
            guard let nanosPerUnit = units[String(unit)] else {
                return .failure(unknownUnit(String(unit), number: String(number), in: text))
            }
            guard let nanos = decimal.scaled(by: nanosPerUnit) else {
                return .failure(SpecValueProblem(message: "duration `\(text)` is too long", hint: hint))
            }
            let (sum, overflow) = total.addingReportingOverflow(nanos)
            guard !overflow else { return .failure(SpecValueProblem(message: "duration `\(text)` is too long", hint: hint)) }
            total = sum
        }
        return .success(.nanoseconds(total))
    }

    private static func bareNumber(_ number: String, original: String, bareSeconds: Bool) -> Result<Duration, SpecValueProblem> {
        guard bareSeconds else {
            return .failure(SpecValueProblem(
                message: "duration `\(original)` has no unit",
                hint: "add a unit, e.g. `\(number)s` for seconds or `\(number)m` for minutes"))
        }
        guard let nanos = DecimalText(number)?.scaled(by: 1_000_000_000) else {
            return .failure(SpecValueProblem(message: "duration `\(original)` is too long", hint: hint))
        }
        return .success(.nanoseconds(nanos))
    }

    private static func unknownUnit(_ unit: String, number: String, in text: String) -> SpecValueProblem {
        if unit.isEmpty {
            return SpecValueProblem(message: "duration `\(text)` has a number without a unit after `\(number)`", hint: hint)
        }
        if ["d", "day", "days", "w", "week", "weeks"].contains(unit.lowercased()) {
            return SpecValueProblem(message: "unknown unit `\(unit)` in duration `\(text)`",
                                hint: "days and weeks are not duration units; write hours, e.g. `24h`")
        }
        let meant = aliases[unit.lowercased()] ?? SpecSuggestions.closest(to: unit, in: units.keys.sorted())
        return SpecValueProblem(
            message: "unknown unit `\(unit)` in duration `\(text)`",
            hint: meant.map { "did you mean `\(number)\($0)`?" } ?? hint)
    }
}
