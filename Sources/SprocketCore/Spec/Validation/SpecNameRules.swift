/// The name syntaxes of the spec, shared by the loader and the validator.
enum SpecNameRules {
    /// Networks, volumes, configs, secrets, services and layers: `[a-z0-9][a-z0-9_.-]*`.
    static func isResourceName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, isLowerAlphanumeric(first) else { return false }
        return name.unicodeScalars.allSatisfy { isLowerAlphanumeric($0) || "_.-".unicodeScalars.contains($0) }
    }

    /// Stacks and environments: `[a-z][a-z0-9-]{0,30}`, so `<stack>-<env>_<name>` stays a readable prefix.
    static func isStackName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.properties.isLowercase, first.isASCII, name.unicodeScalars.count <= 31 else {
            return false
        }
        return name.unicodeScalars.allSatisfy { isLowerAlphanumeric($0) || $0 == "-" }
    }

    /// Container environment variables: `[A-Za-z_][A-Za-z0-9_.-]*` (dots and dashes appear in Java-style names).
    static func isEnvironmentVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || "_.-".unicodeScalars.contains($0)) }
    }

    /// Variables read from the deploying machine's environment: `[A-Za-z_][A-Za-z0-9_]*`, what every shell can set.
    static func isPortableVariableName(_ name: String) -> Bool {
        isEnvironmentVariableName(name) && !name.contains(".") && !name.contains("-")
    }

    static let resourceHint = "names are lower-case letters, digits, `_`, `.` and `-`, starting with a letter or digit"
    static let stackHint = "1 to 31 lower-case letters, digits and `-`, starting with a letter"

    private static func isLowerAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}
