import Doppler
import Foundation
import Logging
import SprocketCore

/// Reads the current value of every manifest secret from its source, all of them before anything is written, so
/// an unreachable Doppler or a missing variable stops `secrets sync` (and `up`) with nothing half-applied.
///
/// Doppler secrets are fetched with one download per project/config (only the names the manifest uses), or, with
/// `doppler: {source: local}`, read from the stack environment's local store under their Doppler names.
/// `generate:` entries have no source value: the syncer keeps the one already in Vault or the sealed store.
public struct ManifestSourceReader {
    var environment: [String: String]
    var logger: Logger
    /// Opens the stack environment's local store (only called for `local:` entries, which `doppler: {source: local}`
    /// makes of `doppler:` ones); nil when there is no key file yet, so nothing can have been set.
    var localStore: () throws -> LocalSecretStore? = { nil }

    /// A reader for `stack`'s manifest in this command: the process environment, and the stack environment's local
    /// store (opened only if the manifest reads it; a missing key file means nothing was ever set).
    public init(settings: SecretPipelineSettings, stack: StackSpec) {
        environment = settings.environment
        logger = settings.logger
        let identity = StackIdentity(stack: stack.name, environment: stack.environment)
        localStore = { try settings.localStore(of: identity, creatingKey: false) }
    }

    /// The source value of every entry except `generate:` ones, by entry name.
    public func read(_ manifest: SecretManifest) async throws -> [String: SensitiveBytes] {
        var values: [String: SensitiveBytes] = [:]
        var dopplerGroups: [DopplerScope: [SecretManifestEntry]] = [:]
        for entry in manifest.entries {
            switch entry.source {
            case .local(let name):
                values[entry.name] = try localValue(of: entry, named: name)
            case .doppler(let project, let config, _):
                let scope = DopplerScope(
                    project: project ?? manifest.dopplerProject ?? nonEmpty("DOPPLER_PROJECT"),
                    config: config ?? manifest.dopplerConfig ?? nonEmpty("DOPPLER_CONFIG"))
                dopplerGroups[scope, default: []].append(entry)
            case .environment(let variable):
                guard let value = environment[variable] else {
                    throw SprocketError(
                        .secretUnavailable, "secret '\(entry.name)': environment variable \(variable) is not set; nothing was written",
                        subject: entry.location.description, hint: "export \(variable) before running, or change the secret's source")
                }
                values[entry.name] = SensitiveBytes(Array(value.utf8))
            case .file(let path):
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw SprocketError(
                        .secretUnavailable, "secret '\(entry.name)': file \(path) cannot be read; nothing was written",
                        subject: entry.location.description, hint: "create the file or fix the path")
                }
                values[entry.name] = SensitiveBytes(Array(data))
            case .generate:
                continue
            case .external, .vaultToken, .vaultUnsealer, .manifest:
                // Layer secrets' sources; the manifest's parser gives an entry none of them.
                throw SprocketError(
                    .secretUnavailable, "secret '\(entry.name)': \(entry.source.summary) is not a source a `secrets:` entry can have",
                    subject: entry.location.description, hint: "give the entry `doppler:`, `environment:`, `file:`, `generate:` or `local:`")
            }
        }
        for (scope, entries) in dopplerGroups.sorted(by: { $0.key.description < $1.key.description }) {
            let downloaded = try await download(scope, entries: entries)
            values.merge(downloaded) { _, new in new }
        }
        // Whatever is printed from here on has these values redacted, wherever they come from.
        for (name, value) in values { SecretRedactor.shared.register(value.bytes, name: name) }
        return values
    }

    /// A Doppler name's value from the local store; a missing one stops the read before anything is written.
    private func localValue(of entry: SecretManifestEntry, named name: String) throws -> SensitiveBytes {
        guard let value = try localStore()?.value(named: name) else {
            throw SprocketError(
                .secretUnavailable,
                "secret '\(entry.name)': local secret `\(name)` is not set in this environment's local store; nothing was written",
                subject: entry.location.description,
                hint: "set it with `sprocketctl secrets set \(name)` (same -f/--env), or import development values with `sprocketctl secrets import-env FILE`")
        }
        return SensitiveBytes(value)
    }

    private func download(_ scope: DopplerScope, entries: [SecretManifestEntry]) async throws -> [String: SensitiveBytes] {
        let names = entries.compactMap { entry -> String? in
            if case .doppler(_, _, let name) = entry.source { return name }
            return nil
        }
        let configuration: DopplerConfiguration
        do {
            var base = try DopplerConfiguration.fromEnvironment(environment)
            base = try DopplerConfiguration(
                token: base.token, apiHost: base.apiHost, project: scope.project ?? base.project, config: scope.config ?? base.config,
                requestTimeout: base.requestTimeout, retry: base.retry)
            configuration = base
        } catch {
            throw SprocketError(
                .secretUnavailable, "secrets \(entries.map(\.name).joined(separator: ", ")) come from Doppler: \(error)",
                subject: entries.first?.location.description, hint: "nothing was written; set DOPPLER_TOKEN (and DOPPLER_API_HOST for a non-default API)")
        }
        let client = DopplerClient(configuration: configuration, logger: logger)
        let downloaded: [String: DopplerSecretValue]
        do {
            downloaded = try await client.downloadSecrets(only: Array(Set(names)).sorted())
            try? await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw SprocketError(
                .secretUnavailable, "\(error)", subject: "\(configuration.apiHost)\(DopplerClient.downloadPath)",
                hint: "nothing was written to Vault or Docker; fix the cause and run again")
        }
        var values: [String: SensitiveBytes] = [:]
        for entry in entries {
            guard case .doppler(_, _, let name) = entry.source else { continue }
            guard let value = downloaded[name] else {
                throw SprocketError(
                    .secretUnavailable, "secret '\(entry.name)': Doppler \(scope) has no secret \(name); nothing was written",
                    subject: entry.location.description, hint: "create \(name) in Doppler, or fix `doppler.name`")
            }
            values[entry.name] = SensitiveBytes(value.utf8Bytes)
        }
        return values
    }

    private func nonEmpty(_ name: String) -> String? {
        environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// One Doppler project/config (nil parts: the service token's own scope).
struct DopplerScope: Hashable, CustomStringConvertible {
    var project: String?
    var config: String?

    var description: String {
        let parts = [project, config].compactMap { $0 }
        return parts.isEmpty ? "config of DOPPLER_TOKEN" : "config \(parts.joined(separator: "/"))"
    }
}
