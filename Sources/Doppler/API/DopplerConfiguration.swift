import Foundation

/// Where Doppler is and which secrets to read. Built in code, or by the CLI from the variables Doppler's own CLI
/// reads with ``fromEnvironment(_:)``; the library itself never reads the process environment.
public struct DopplerConfiguration: Sendable, CustomStringConvertible {
    /// Doppler's API host when `DOPPLER_API_HOST` is not set.
    public static let defaultAPIHost = "https://api.doppler.com"

    /// The API base URL without a trailing slash, e.g. `https://api.doppler.com`.
    public var apiHost: String
    /// The token sent as `Authorization: Bearer …`.
    public var token: DopplerToken
    /// The project; required unless the token is a service token (which is scoped to one config already).
    public var project: String?
    /// The config (e.g. `prd`); required unless the token is a service token.
    public var config: String?
    /// The deadline for each request.
    public var requestTimeout: Duration
    /// Retries on 429 and on non-JSON 5xx answers.
    public var retry: DopplerRetryPolicy

    /// Creates a configuration, checking the host and that non-service tokens name a project and config.
    ///
    /// - Throws: ``DopplerClientError/invalidConfiguration(_:)`` for an empty token, a host that is not an http(s)
    ///   URL, or a personal/CLI token without project and config.
    public init(
        token: DopplerToken, apiHost: String = defaultAPIHost, project: String? = nil, config: String? = nil,
        requestTimeout: Duration = .seconds(10), retry: DopplerRetryPolicy = DopplerRetryPolicy()
    ) throws {
        guard !token.unredactedValue.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw DopplerClientError.invalidConfiguration(
                "the Doppler token is empty; set DOPPLER_TOKEN to a service token (dp.st.…) for the config")
        }
        var trimmed = apiHost.trimmingCharacters(in: .whitespaces)
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty
        else {
            throw DopplerClientError.invalidConfiguration(
                "the Doppler API host \"\(apiHost)\" is not an http:// or https:// URL "
                    + "(set DOPPLER_API_HOST, e.g. \(Self.defaultAPIHost))")
        }
        let project = project.flatMap(Self.nonEmpty)
        let config = config.flatMap(Self.nonEmpty)
        if !token.kind.isConfigScoped, project == nil || config == nil {
            let kind = token.kind == .unknown ? "a token that is not a service token" : "a \(token.kind.rawValue) token"
            throw DopplerClientError.invalidConfiguration(
                "\(kind) is not scoped to one config, so the project and config must be given "
                    + "(DOPPLER_PROJECT and DOPPLER_CONFIG); or use a service token (dp.st.…), which implies both")
        }
        self.apiHost = trimmed
        self.token = token
        self.project = project
        self.config = config
        self.requestTimeout = requestTimeout
        self.retry = retry
    }

    /// Reads `DOPPLER_TOKEN` (required), `DOPPLER_API_HOST` (default ``defaultAPIHost``), `DOPPLER_PROJECT` and
    /// `DOPPLER_CONFIG`, the names Doppler's CLI uses. Empty values count as unset.
    ///
    /// - Parameter environment: The process environment (only the CLI passes it in).
    /// - Throws: ``DopplerClientError/invalidConfiguration(_:)`` when the token is missing or the rest is unusable.
    public static func fromEnvironment(
        _ environment: [String: String], retry: DopplerRetryPolicy = DopplerRetryPolicy()
    ) throws -> DopplerConfiguration {
        let value = { (name: String) in environment[name].flatMap(Self.nonEmpty) }
        guard let token = value("DOPPLER_TOKEN") else {
            throw DopplerClientError.invalidConfiguration(
                "DOPPLER_TOKEN is not set; create a service token under Project > Config > Access in Doppler "
                    + "and export it as DOPPLER_TOKEN")
        }
        return try DopplerConfiguration(
            token: DopplerToken(token), apiHost: value("DOPPLER_API_HOST") ?? defaultAPIHost,
            project: value("DOPPLER_PROJECT"), config: value("DOPPLER_CONFIG"), retry: retry)
    }

    /// The host, project and config; the token only as its kind.
    public var description: String {
        var parts = ["apiHost: \(apiHost)", "token: \(token)"]
        if let project { parts.append("project: \(project)") }
        if let config { parts.append("config: \(config)") }
        return "DopplerConfiguration(\(parts.joined(separator: ", ")))"
    }

    private static func nonEmpty(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}
