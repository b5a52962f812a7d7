/// What the `postgres:` spec accepts as a role, database, schema or extension name, and which privileges each
/// grant level knows. Shared by the spec parser (errors at file:line) and the provider (errors before any statement).
///
/// Names are always sent quoted (`"name"`), so case and `-` survive; the rule keeps out what quoting alone would
/// let through but nobody means: control characters, quotes, spaces, over-long names that PostgreSQL would
/// silently truncate, and the `pg_` prefix the server reserves for its own roles.
public enum PostgresNameRules {
    /// PostgreSQL's NAMEDATALEN - 1: longer names are truncated by the server, so two would collide.
    public static let maximumLength = 63

    /// Why `name` cannot be used as a `kind` (`role`, `database`, …), or nil when it can.
    public static func problem(with name: String, kind: String) -> String? {
        if name.isEmpty { return "the \(kind) name is empty" }
        if name.utf8.count > maximumLength {
            return "the \(kind) name `\(name)` is \(name.utf8.count) bytes long; PostgreSQL allows \(maximumLength)"
        }
        guard let first = name.unicodeScalars.first, first == "_" || isLetter(first) else {
            return "the \(kind) name `\(name)` must start with a letter or `_`"
        }
        if let bad = name.unicodeScalars.first(where: { !(isLetter($0) || isDigit($0) || "_$-".unicodeScalars.contains($0)) }) {
            return "the \(kind) name `\(name)` contains `\(bad.escaped(asASCII: true))`; use letters, digits, `_`, `$` and `-`"
        }
        if kind == "role", name.lowercased().hasPrefix("pg_") {
            return "the role name `\(name)` starts with `pg_`, which PostgreSQL reserves for its own roles"
        }
        return nil
    }

    /// The privileges a grant at each level may name, as PostgreSQL reports them (`aclexplode`).
    public static let databasePrivileges = ["CONNECT", "CREATE", "TEMPORARY"]
    public static let schemaPrivileges = ["USAGE", "CREATE"]
    public static let tablePrivileges = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"]

    /// `privileges` upper-cased, `TEMP` spelled `TEMPORARY` and `ALL` expanded to `allowed`; the unknown ones
    /// are returned separately so the parser can point at them.
    public static func normalize(_ privileges: [String], allowed: [String]) -> (known: [String], unknown: [String]) {
        var known: [String] = []
        var unknown: [String] = []
        for privilege in privileges {
            let word = privilege.uppercased() == "TEMP" ? "TEMPORARY" : privilege.uppercased()
            if word == "ALL" || word == "ALL PRIVILEGES" {
                known.append(contentsOf: allowed)
            } else if allowed.contains(word) {
                known.append(word)
            } else {
                unknown.append(privilege)
            }
        }
        return (allowed.filter(known.contains), unknown)
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar)
    }
}
