import Foundation

/// The bodies and name transformations of the Doppler emulator (docs/wire-formats.md §2.1).
///
/// The JSON and `env` renderings reproduce the documented examples byte for byte (compact, keys sorted, no
/// trailing newline). Escaping inside `env` values (`\"`, `\\`, `\n`) and the `yaml`/`docker`/`env-no-quotes`
/// renderings are derived, not quoted from Doppler. `dotnet-json` is not emulated.
public enum DopplerEmulatorFormats {
    /// The formats the emulator renders.
    public static let supportedFormats: Set<String> = ["json", "env", "env-no-quotes", "docker", "yaml"]
    /// Every format the contract lists.
    public static let documentedFormats: Set<String> = supportedFormats.union(["dotnet-json"])

    /// Renders `secrets` in a format; nil for a format the emulator does not render.
    public static func render(_ secrets: [String: String], format: String) -> String? {
        let sorted = secrets.sorted { $0.key < $1.key }
        switch format {
        case "json":
            return "{" + sorted.map { "\(jsonString($0.key)):\(jsonString($0.value))" }.joined(separator: ",") + "}"
        case "env":
            return sorted.map { "\($0.key)=\"\(envEscaped($0.value))\"" }.joined(separator: "\n")
        case "env-no-quotes", "docker":
            return sorted.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
        case "yaml":
            return sorted.map { "\($0.key): \(jsonString($0.value))" }.joined(separator: "\n")
        default:
            return nil
        }
    }

    /// The `Content-Type` of a rendered format.
    public static func contentType(of format: String) -> String {
        format == "json" ? "application/json" : "text/plain; charset=utf-8"
    }

    /// Applies a documented name transformer; nil for an unknown one.
    ///
    /// `camel`: `API_KEY` → `apiKey`; `upper-camel`: `ApiKey`; `lower-snake`: `api_key`; `lower-kebab`: `api-key`;
    /// `tf-var`: `TF_VAR_api_key`; `dotnet`: `SMTP__USER_NAME` → `Smtp:UserName`; `dotnet-env`:
    /// `Smtp__UserName` (sections split on `__`).
    public static func transform(_ name: String, with transformer: String) -> String? {
        let words = { (text: Substring) in text.split(separator: "_").map { $0.lowercased() } }
        let capitalized = { (word: String) in word.prefix(1).uppercased() + word.dropFirst() }
        let upperCamel = { (text: Substring) in words(text).map(capitalized).joined() }
        let sections = { name.components(separatedBy: "__").map { upperCamel(Substring($0)) } }
        switch transformer {
        case "camel":
            let parts = words(Substring(name))
            return (parts.first ?? "") + parts.dropFirst().map(capitalized).joined()
        case "upper-camel": return upperCamel(Substring(name))
        case "lower-snake": return name.lowercased()
        case "lower-kebab": return words(Substring(name)).joined(separator: "-")
        case "tf-var": return "TF_VAR_" + name.lowercased()
        case "dotnet": return sections().joined(separator: ":")
        case "dotnet-env": return sections().joined(separator: "__")
        default: return nil
        }
    }

    /// A JSON string literal: `"`, `\` and control characters escaped, `/` and non-ASCII as is.
    public static func jsonString(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return (try? encoder.encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }

    private static func envEscaped(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
