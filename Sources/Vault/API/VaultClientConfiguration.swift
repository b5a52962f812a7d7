import Foundation

/// Where Vault is and how to talk to it. Built in code, or by the CLI from the usual `VAULT_*` variables with
/// ``fromEnvironment(_:)``; the library itself never reads the process environment.
public struct VaultClientConfiguration: Sendable, Equatable, CustomStringConvertible {
    /// The address Vault's own CLI uses when `VAULT_ADDR` is not set.
    public static let defaultAddress = "https://127.0.0.1:8200"

    /// The base URL without a trailing slash, `http://…` or `https://…`, e.g. `https://vault.example.com:8200`.
    public var address: String
    /// The token sent as `X-Vault-Token`, if any. Unauthenticated calls (init, seal-status, unseal, health) need none.
    public var token: VaultSecretString?
    /// A PEM file of CA certificates to trust for `https` addresses, instead of the system's (`VAULT_CACERT`).
    public var caCertificatePath: String?
    /// The Enterprise namespace sent as `X-Vault-Namespace`, if any.
    public var namespace: String?
    /// The deadline for each request.
    public var requestTimeout: Duration

    /// Creates a configuration, checking that `address` is an http or https URL.
    ///
    /// - Throws: ``VaultClientError/invalidConfiguration(_:)`` for any other address.
    public init(
        address: String, token: VaultSecretString? = nil, caCertificatePath: String? = nil, namespace: String? = nil,
        requestTimeout: Duration = .seconds(30)
    ) throws {
        var trimmed = address.trimmingCharacters(in: .whitespaces)
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else {
            throw VaultClientError.invalidConfiguration(
                "the Vault address \"\(address)\" is not an http:// or https:// URL "
                    + "(set VAULT_ADDR or --addr, e.g. https://vault.example.com:8200)")
        }
        self.address = trimmed
        self.token = token
        self.caCertificatePath = caCertificatePath
        self.namespace = namespace
        self.requestTimeout = requestTimeout
    }

    /// Reads `VAULT_ADDR` (default ``defaultAddress``), `VAULT_TOKEN`, `VAULT_CACERT` and `VAULT_NAMESPACE`.
    /// Empty values count as unset.
    ///
    /// - Parameter environment: The process environment (only the CLI passes it in).
    /// - Throws: ``VaultClientError/invalidConfiguration(_:)`` when `VAULT_ADDR` is not an http(s) URL.
    public static func fromEnvironment(_ environment: [String: String]) throws -> VaultClientConfiguration {
        func value(_ name: String) -> String? {
            guard let text = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
                return nil
            }
            return text
        }
        return try VaultClientConfiguration(
            address: value("VAULT_ADDR") ?? defaultAddress,
            token: value("VAULT_TOKEN").map(VaultSecretString.init),
            caCertificatePath: value("VAULT_CACERT"),
            namespace: value("VAULT_NAMESPACE")
        )
    }

    /// The address and options; the token only as "set" or "none".
    public var description: String {
        var parts = ["address: \(address)", "token: \(token == nil ? "none" : "set")"]
        if let caCertificatePath { parts.append("ca: \(caCertificatePath)") }
        if let namespace { parts.append("namespace: \(namespace)") }
        return "VaultClientConfiguration(\(parts.joined(separator: ", ")))"
    }
}
