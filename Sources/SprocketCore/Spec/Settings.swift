/// A typed setting value. Settings are scalars on purpose: they feed names, hosts and paths.
public enum SettingValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case string(String)
    case integer(Int)
    case boolean(Bool)

    /// The value as it is substituted into `${name}`.
    public var description: String {
        switch self {
        case .string(let value): value
        case .integer(let value): String(value)
        case .boolean(let value): value ? "true" : "false"
        }
    }
}

/// Where a setting's effective value came from, for `plan`/`docs` output and error messages.
public enum SettingOrigin: Sendable, Hashable, Codable {
    case builtin
    case specDefault(SourceLocation)
    case environmentSection(String, SourceLocation)
    case processEnvironment(variable: String)
}

/// One resolved setting.
public struct ResolvedSetting: Sendable, Hashable {
    public var name: String
    public var value: SettingValue
    public var origin: SettingOrigin

    public init(name: String, value: SettingValue, origin: SettingOrigin) {
        self.name = name
        self.value = value
        self.origin = origin
    }
}

/// The resolved settings of a stack for one environment, in a stable (sorted) order.
public struct Settings: Sendable, Hashable {
    public private(set) var entries: [String: ResolvedSetting]

    public init(_ entries: [ResolvedSetting] = []) {
        var map: [String: ResolvedSetting] = [:]
        for entry in entries { map[entry.name] = entry }
        self.entries = map
    }

    public subscript(name: String) -> SettingValue? {
        entries[name]?.value
    }

    public mutating func set(_ setting: ResolvedSetting) {
        entries[setting.name] = setting
    }

    /// Names in sorted order, so rendering and hashing are deterministic.
    public var names: [String] { entries.keys.sorted() }

    /// The `SPROCKET_<NAME>` variable that overrides a setting: upper case, `-` and `.` become `_`.
    public static func environmentVariable(for name: String) -> String {
        "SPROCKET_" + name.uppercased().map { $0 == "-" || $0 == "." ? "_" : $0 }.map(String.init).joined()
    }
}
