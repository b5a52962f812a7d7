import Foundation
import SprocketCore

/// Finds the credentials for a registry as the docker CLI does, so that a `docker login` is all a user needs:
/// `auths` in `$DOCKER_CONFIG/config.json` (default `~/.docker/config.json`), whose `auth` is base64 of
/// `user:password`, keyed by the registry's host (Docker Hub's key is `https://index.docker.io/v1/`).
/// `SPROCKET_REGISTRY_AUTH=user:token` overrides the file for every registry of the spec.
///
/// Credential helpers (`credsStore`, `credHelpers`) are not run: a registry they hold gives an error saying so,
/// rather than an anonymous request that the registry would refuse with a less useful message.
public struct RegistryCredentialStore: Sendable {
    /// `user:token` for every registry (`SPROCKET_REGISTRY_AUTH`), or nil.
    var override: String?
    /// The docker CLI's config file, or nil when there is none to read.
    var configPath: String?

    public init(override: String? = nil, configPath: String? = nil) {
        self.override = override.flatMap { $0.isEmpty ? nil : $0 }
        self.configPath = configPath
    }

    /// Reads `SPROCKET_REGISTRY_AUTH`, `DOCKER_CONFIG` and `HOME` from `environment`.
    public init(environment: [String: String]) {
        let folder = environment["DOCKER_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["HOME"].map { "\($0)/.docker" }
        self.init(override: environment["SPROCKET_REGISTRY_AUTH"], configPath: folder.map { "\($0)/config.json" })
    }

    /// The credential for `registry` (a host, with its port when it has one), or nil for anonymous access.
    /// - Throws: ``SprocketError`` when the override is malformed, the config file cannot be read, or only a
    ///   credential helper knows the registry.
    public func credential(for registry: String) throws -> RegistryCredential? {
        if let override {
            guard let colon = override.firstIndex(of: ":"), colon != override.startIndex else {
                throw SprocketError(.registry, "SPROCKET_REGISTRY_AUTH is not `user:token`", subject: "SPROCKET_REGISTRY_AUTH",
                                    hint: "set it to the user name, a colon and a read-only access token")
            }
            return RegistryCredential(username: String(override[..<colon]), secret: String(override[override.index(after: colon)...]),
                                      source: "SPROCKET_REGISTRY_AUTH")
        }
        guard let configPath, FileManager.default.fileExists(atPath: configPath) else { return nil }
        let config: DockerCLIConfig
        do {
            config = try JSONDecoder().decode(DockerCLIConfig.self, from: Data(contentsOf: URL(fileURLWithPath: configPath)))
        } catch {
            throw SprocketError(.registry, "the docker CLI's config file cannot be read: \(error)", subject: configPath,
                                hint: "fix or remove the file, or set SPROCKET_REGISTRY_AUTH=user:token")
        }
        let keys = Self.configKeys(for: registry)
        if let entry = config.auths?.first(where: { keys.contains(Self.normalisedKey($0.key)) })?.value, let encoded = entry.auth,
            !encoded.isEmpty
        {
            guard let decoded = Data(base64Encoded: encoded).flatMap({ String(data: $0, encoding: .utf8) }),
                let colon = decoded.firstIndex(of: ":")
            else {
                throw SprocketError(.registry, "the `auth` of \(registry) is not base64 of `user:password`", subject: configPath,
                                    hint: "run `docker login \(registry)` again")
            }
            return RegistryCredential(username: String(decoded[..<colon]), secret: String(decoded[decoded.index(after: colon)...]),
                                      source: configPath)
        }
        // `docker login` with a credential store leaves an empty entry in `auths`; `credHelpers` names hosts itself.
        let listed = config.auths?.contains { keys.contains(Self.normalisedKey($0.key)) } == true
        let helper = config.credHelpers?.first { keys.contains(Self.normalisedKey($0.key)) }?.value ?? (listed ? config.credsStore : nil)
        if let helper {
            throw SprocketError(.registry, "the credentials of \(registry) are kept by the credential helper docker-credential-\(helper)",
                                subject: configPath, hint: "sprocketctl does not run credential helpers: set SPROCKET_REGISTRY_AUTH=user:token")
        }
        return nil
    }

    /// The keys the docker CLI may have stored `registry` under, normalised.
    static func configKeys(for registry: String) -> Set<String> {
        registry == ImageReference.dockerHub ? ["index.docker.io", "registry-1.docker.io", "docker.io"] : [registry]
    }

    /// `https://index.docker.io/v1/` → `index.docker.io`: a key without scheme and path.
    static func normalisedKey(_ key: String) -> String {
        var text = Substring(key)
        if let scheme = text.range(of: "://") { text = text[scheme.upperBound...] }
        return String(text.prefix { $0 != "/" })
    }
}

/// The parts of `~/.docker/config.json` that hold credentials.
private struct DockerCLIConfig: Decodable {
    struct Entry: Decodable {
        var auth: String?
    }

    var auths: [String: Entry]?
    var credsStore: String?
    var credHelpers: [String: String]?
}
