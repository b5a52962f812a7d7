import Foundation
import SprocketCore

/// `doctor` checks for secrets kept where everyone can read them (docs/pain-points.md #11) and for TLS verification switched
/// off (docs/pain-points.md #31). Pure over the loaded spec; a finding names the service and the key, never the value.
struct DoctorSecretHygieneChecks {
    var stack: StackSpec

    func all() -> [DoctorCheckResult] { [plaintextSecrets(), tlsVerification()] }

    private var services: [ServiceSpec] { stack.layers.flatMap(\.services) }

    /// #11: a credential in `environment:`, in a command line, in labels or in a config file is visible in git, in
    /// `docker service inspect` and to every process on the node. Docker secrets are files only the service sees.
    func plaintextSecrets() -> DoctorCheckResult {
        var findings: [String] = []
        for service in services {
            for variable in service.environment where !service.notSecret.contains(variable.name) {
                if SecretLookingText.isSecretName(variable.name), SecretLookingText.isLiteralValue(variable.value) {
                    findings.append("\(service.name): environment \(variable.name) holds a literal value (\(variable.location))")
                } else if let user = SecretLookingText.urlCredentialUser(in: variable.value) {
                    findings.append("\(service.name): environment \(variable.name) is a URL with the password of `\(user)` in it (\(variable.location))")
                }
            }
            for (what, arguments) in [("command", service.command ?? []), ("entrypoint", service.entrypoint ?? [])] {
                if let flag = SecretLookingText.secretFlag(in: arguments) {
                    findings.append("\(service.name): `\(what)` passes --\(flag) a literal value (\(service.location))")
                } else if let user = SecretLookingText.urlCredentialUser(in: arguments.joined(separator: " ")) {
                    findings.append("\(service.name): `\(what)` has a URL with the password of `\(user)` in it (\(service.location))")
                }
            }
            let labels = service.labels.merging(service.deploy.labels) { first, _ in first }
            for (key, value) in labels.sorted(by: { $0.key < $1.key }) where !service.notSecret.contains(key) {
                let place = service.labelPositions[key]?.entry ?? service.location
                if SecretLookingText.isSecretName(key) || key.lowercased().hasSuffix(".basicauth.users"), SecretLookingText.isLiteralValue(value) {
                    findings.append("\(service.name): label \(key) holds a credential (\(place))")
                } else if let user = SecretLookingText.urlCredentialUser(in: value) {
                    findings.append("\(service.name): label \(key) has a URL with the password of `\(user)` in it (\(place))")
                }
            }
        }
        for layer in stack.layers {
            for config in layer.configs {
                if case .generated = config.source { continue }
                let text = String(decoding: config.content ?? [], as: UTF8.self)
                if let user = SecretLookingText.urlCredentialUser(in: text) {
                    findings.append("config \(config.name): a URL with the password of `\(user)` in it (\(config.location))")
                }
            }
        }
        return .judging(
            "plaintext-secrets", findings, passed: "no credential in environment, command lines, labels or config URLs", status: .fail,
            message: { "\($0) credentials are written in plain text (docs/pain-points.md #11: --requirepass and connection strings "
                + "in args, env and configs were readable by anyone with `docker inspect`)" },
            hint: "declare each under `secrets:` (generate, environment, file or Doppler) and mount it: most images read "
                + "`<VAR>_FILE=/run/secrets/<name>`; a shell entrypoint can read `$(cat /run/secrets/<name>)`. If a value is "
                + "not a secret, list its name under the service's `not_secret:`")
    }

    /// #31: switches that turn certificate verification off make every TLS connection of the service open to a
    /// man in the middle (the original ran with `NODE_TLS_REJECT_UNAUTHORIZED=0`).
    func tlsVerification() -> DoctorCheckResult {
        var findings: [String] = []
        for service in services {
            for variable in service.environment {
                if let reason = Self.disablesVerification(name: variable.name, value: variable.value) {
                    findings.append("\(service.name): \(variable.name)=\(variable.value) \(reason) (\(variable.location))")
                }
            }
            let arguments = (service.entrypoint ?? []) + (service.command ?? [])
            for flag in Self.insecureFlags where arguments.contains(where: { $0 == flag || $0.hasPrefix(flag + "=") || $0.contains(" \(flag)") }) {
                findings.append("\(service.name): the command passes \(flag) (\(service.location))")
            }
        }
        return .judging(
            "tls-verification", findings, passed: "no service turns TLS certificate verification off", status: .fail,
            message: { "\($0) settings turn TLS verification off (docs/pain-points.md #31: NODE_TLS_REJECT_UNAUTHORIZED=0 on the legacy platform)" },
            hint: "give the service the CA it needs (a config or secret with the certificate, e.g. NODE_EXTRA_CA_CERTS=/run/secrets/ca.pem, "
                + "PGSSLROOTCERT, REQUESTS_CA_BUNDLE) instead of disabling verification")
    }

    static let insecureFlags = ["--insecure", "--insecure-skip-tls-verify", "--tls-skip-verify", "--no-check-certificate", "--ssl-no-verify",
                                "--tlsverify=false"]

    /// Why this variable disables verification, or nil.
    static func disablesVerification(name: String, value: String) -> String? {
        let upper = name.uppercased()
        let off = ["0", "false", "no", "off"].contains(value.lowercased())
        let on = ["1", "true", "yes", "on"].contains(value.lowercased())
        switch upper {
        case "NODE_TLS_REJECT_UNAUTHORIZED" where off: return "makes Node.js accept any certificate"
        case "PYTHONHTTPSVERIFY" where off: return "makes Python accept any certificate"
        case "GIT_SSL_NO_VERIFY" where on: return "makes git accept any certificate"
        default: break
        }
        if on, ["SKIP_VERIFY", "TLS_INSECURE"].contains(where: upper.hasSuffix) {
            return "skips certificate verification"
        }
        if off, ["SSL_VERIFY", "TLS_VERIFY", "VERIFY_SSL", "TLS_REJECT_UNAUTHORIZED"].contains(where: upper.hasSuffix) {
            return "turns certificate verification off"
        }
        return nil
    }
}
