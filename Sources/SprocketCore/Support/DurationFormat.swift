extension Duration {
    /// Whole nanoseconds, the unit Docker uses for durations.
    public var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// A duration from whole nanoseconds (Docker's unit).
    public static func fromNanoseconds(_ value: Int64) -> Duration {
        Duration(secondsComponent: value / 1_000_000_000, attosecondsComponent: (value % 1_000_000_000) * 1_000_000_000)
    }

    /// The duration in seconds, as a floating-point number (for reports and events).
    public var secondsValue: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// Go-style text (`1m30s`, `500ms`), the form the spec uses, for plan output.
    public var goStyle: String {
        var remaining = nanoseconds
        if remaining == 0 { return "0s" }
        var text = ""
        if remaining < 0 {
            text = "-"
            remaining = -remaining
        }
        if remaining < 1_000_000_000 {
            if remaining % 1_000_000 == 0 { return text + "\(remaining / 1_000_000)ms" }
            return text + "\(remaining)ns"
        }
        let hours = remaining / 3_600_000_000_000
        remaining %= 3_600_000_000_000
        let minutes = remaining / 60_000_000_000
        remaining %= 60_000_000_000
        if hours > 0 { text += "\(hours)h" }
        if minutes > 0 { text += "\(minutes)m" }
        if remaining > 0 {
            let seconds = remaining / 1_000_000_000
            let fraction = remaining % 1_000_000_000
            if fraction == 0 {
                text += "\(seconds)s"
            } else {
                var digits = String(fraction)
                digits = String(repeating: "0", count: 9 - digits.count) + digits
                while digits.hasSuffix("0") { digits.removeLast() }
                text += "\(seconds).\(digits)s"
            }
        }
        return text
    }
}
