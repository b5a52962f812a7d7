/// Helpers for domain names as this module stores them: lowercase, no trailing dot.
enum DNSName {
    /// The most bytes a name may take on the wire (RFC 1035 §2.3.4).
    static let maximumWireLength = 255
    /// The most bytes one label may have.
    static let maximumLabelLength = 63

    /// Lowercases and drops one trailing dot: `WWW.Example.COM.` → `www.example.com`.
    static func normalize(_ name: String) -> String {
        var text = name.lowercased()
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// The labels of a normalised name; the root (empty name) has none.
    static func labels(of name: String) -> [Substring] {
        name.isEmpty ? [] : name.split(separator: ".", omittingEmptySubsequences: false)
    }

    /// The parent name (`a.b.example.com` → `b.example.com`); nil for a single label or the root.
    static func parent(of name: String) -> String? {
        guard let dot = name.firstIndex(of: ".") else { return nil }
        return String(name[name.index(after: dot)...])
    }

    /// Why `name` cannot be encoded, or nil when it can.
    static func problem(with name: String) -> String? {
        let labels = labels(of: name)
        var wireLength = 1
        for label in labels {
            if label.isEmpty { return "empty label in \"\(name)\"" }
            if label.utf8.count > maximumLabelLength {
                return "label \"\(label)\" is longer than \(maximumLabelLength) bytes"
            }
            wireLength += label.utf8.count + 1
        }
        if wireLength > maximumWireLength { return "\"\(name)\" is longer than \(maximumWireLength) bytes" }
        return nil
    }
}
