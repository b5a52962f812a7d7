/// Where a hand-written label is in a spec file, so a bad Traefik rule can be reported at its column.
public struct LabelPosition: Sendable, Hashable {
    /// The label's entry (`- key=value` item or `key:` of the mapping form).
    public var entry: SourceLocation
    /// The position of the value's first character when the value is written verbatim on one line
    /// (no escapes, no `${...}`), else nil.
    public var valueStart: SourceLocation?

    public init(entry: SourceLocation, valueStart: SourceLocation? = nil) {
        self.entry = entry
        self.valueStart = valueStart
    }

    /// The file position of the 1-based `column` of the value, or the entry when it is unknown.
    public func location(ofValueColumn column: Int) -> SourceLocation {
        guard var start = valueStart else { return entry }
        start.column += column - 1
        return start
    }
}
