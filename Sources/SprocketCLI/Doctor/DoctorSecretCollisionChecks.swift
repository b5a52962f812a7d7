import Foundation
import SprocketCore

/// `doctor` checks for one Vault field written by two secrets, and one credential declared twice (docs/pain-points.md #8,
/// #28). Pure over the spec. Two secrets mounted at one path of a service is already an error of `validate`, which
/// `doctor`'s `spec` check reports.
struct DoctorSecretCollisionChecks {
    var stack: StackSpec

    func all() -> [DoctorCheckResult] { [sharedVaultFields(), credentialSources()] }

    /// #8: three Redis instances wrote `infrastructure/data/redis`, and the last write won.
    func sharedVaultFields() -> DoctorCheckResult {
        var writers: [String: [String]] = [:]
        for entry in stack.secretManifest.entries {
            guard let vault = entry.vault else { continue }
            writers[vault.description, default: []].append("\(entry.name) (\(entry.location))")
        }
        let shared = writers.filter { $0.value.count > 1 }.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.joined(separator: " and "))" }
        return .judging(
            "vault-writers", shared, passed: "every Vault field has at most one writer", status: .fail,
            message: { "\($0) Vault fields are written by several secrets (docs/pain-points.md #8: three Redis instances wrote one path, last write won)" },
            hint: "give each secret its own `<mount>/<path>#<field>` (e.g. with the service in the path), or declare the secret once with several consumers")
    }

    /// #28: one credential (a Doppler name, an environment variable) read by several declarations. With different
    /// sources the services disagree about its value; with the same source it is typed twice and drifts.
    func credentialSources() -> DoctorCheckResult {
        var declarations: [String: [(secret: String, source: String)]] = [:]
        for entry in stack.secretManifest.entries {
            let source = SecretSourceText.manifest(entry, in: stack)
            switch entry.source {
            case .doppler(_, _, let name), .local(let name): declarations[name, default: []].append((entry.name, source))
            case .environment(let variable): declarations[variable, default: []].append((entry.name, source))
            case .file, .generate, .external, .vaultToken, .vaultUnsealer, .manifest: continue
            }
        }
        for layer in stack.layers {
            for secret in layer.secrets {
                if case .environment(let variable) = secret.source {
                    declarations[variable, default: []].append((secret.name, "environment \(variable)"))
                }
            }
        }
        var conflicts: [String] = []
        var repeats: [String] = []
        for (credential, uses) in declarations.sorted(by: { $0.key < $1.key }) where Set(uses.map(\.secret)).count > 1 {
            let line = "\(credential): " + uses.map { "\($0.secret) (\($0.source))" }.joined(separator: ", ")
            if Set(uses.map(\.source)).count > 1 { conflicts.append(line) } else { repeats.append(line) }
        }
        if !conflicts.isEmpty {
            return DoctorCheckResult(
                name: "credential-sources", status: .fail,
                message: "\(conflicts.count) credentials are declared with different sources (docs/pain-points.md #28: postgres-* was configured "
                    + "three times, differently)",
                hint: "declare the credential once in the `secrets:` manifest and list every service under its `consumers:`",
                details: conflicts + repeats)
        }
        if !repeats.isEmpty {
            return DoctorCheckResult(
                name: "credential-sources", status: .warn, message: "\(repeats.count) credentials are declared more than once (docs/pain-points.md #28)",
                hint: "declare it once and list every service under its `consumers:`", details: repeats)
        }
        return DoctorCheckResult(name: "credential-sources", status: .ok, message: "every credential is declared once")
    }
}
