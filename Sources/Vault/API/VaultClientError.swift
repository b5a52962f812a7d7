import Foundation

/// Everything that can go wrong when talking to Vault. Every case that comes from a request names its API path
/// (e.g. `platform/data/prod/oauth/google`), never a token, key or secret value.
///
/// Vault answers `{"errors":[…]}` for every status ≥ 400; those messages are kept verbatim in the cases that carry
/// `messages`.
public enum VaultClientError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// 503: Vault is sealed (or, with other messages, down for maintenance).
    case sealed(method: String, path: String, messages: [String])
    /// 403: the token is missing, invalid, expired, revoked, or its policies do not allow this operation.
    case permissionDenied(method: String, path: String, messages: [String])
    /// 404: nothing at this path (or, to avoid leaking, nothing the token may see). Also an empty LIST.
    case notFound(method: String, path: String)
    /// 404 on a KV v2 read of a version that was soft-deleted or destroyed (the metadata is still there).
    case secretVersionDeleted(path: String, version: Int, destroyed: Bool)
    /// 400: the request was refused; `messages` are Vault's own words.
    case badRequest(method: String, path: String, messages: [String])
    /// 400 on a KV v2 write whose `cas` did not match the current version, or that lacked a required `cas`.
    case invalidCAS(path: String, message: String)
    /// 429 (or 503 "overloaded"): a rate-limit or lease-count quota was hit; retry later.
    case rateLimited(method: String, path: String, messages: [String])
    /// 501: Vault is not initialised.
    case notInitialized(method: String, path: String)
    /// No connection could be made at all.
    case unreachable(address: String, reason: String)
    /// The request did not finish within its deadline.
    case timeout(method: String, path: String, after: Duration)
    /// Any other status, with Vault's messages when it sent any.
    case unexpected(status: Int, method: String, path: String, messages: [String])
    /// A 2xx body did not have the expected shape.
    case decoding(path: String, detail: String)
    /// The connection failed after it was established.
    case transport(method: String, path: String, reason: String)
    /// The configuration cannot be used (bad address, unreadable CA file, missing token, bad path).
    case invalidConfiguration(String)

    /// The API path the error is about, when it came from a request.
    public var path: String? {
        switch self {
        case .sealed(_, let path, _), .permissionDenied(_, let path, _), .notFound(_, let path),
            .badRequest(_, let path, _), .rateLimited(_, let path, _), .notInitialized(_, let path),
            .timeout(_, let path, _), .unexpected(_, _, let path, _), .transport(_, let path, _):
            return path
        case .secretVersionDeleted(let path, _, _), .invalidCAS(let path, _), .decoding(let path, _):
            return path
        case .unreachable, .invalidConfiguration:
            return nil
        }
    }

    /// True for ``notFound(method:path:)`` and ``secretVersionDeleted(path:version:destroyed:)``.
    public var isNotFound: Bool {
        switch self {
        case .notFound, .secretVersionDeleted: return true
        default: return false
        }
    }

    /// What failed, Vault's own words, and what to do.
    public var description: String {
        switch self {
        case .sealed(let method, let path, let messages):
            return "Vault refused \(method) \(path): \(Self.joined(messages, or: "Vault is sealed")). "
                + "Unseal it (`sprocketctl vault unseal`) and retry"
        case .permissionDenied(let method, let path, let messages):
            return "Vault denied \(method) \(path): \(Self.joined(messages, or: "permission denied")). "
                + "The token is invalid or expired, or none of its policies grants this operation on \(path); "
                + "check the token with `vault token lookup` and the policy's path rules"
        case .notFound(let method, let path):
            return "Vault has nothing at \(path) (\(method) answered 404). Check the mount and the path "
                + "(KV v2 paths are <mount>/data/<path>), and that the token may see it"
        case .secretVersionDeleted(let path, let version, let destroyed):
            return "Version \(version) of \(path) was \(destroyed ? "destroyed" : "deleted")"
                + (destroyed ? "; it cannot be recovered" : "; undelete it to read it again")
        case .badRequest(let method, let path, let messages):
            return "Vault rejected \(method) \(path) (HTTP 400): \(Self.joined(messages, or: "invalid request"))"
        case .invalidCAS(let path, let message):
            return "Vault refused the write to \(path): \(message). Read the current version and write again "
                + "with that version as cas"
        case .rateLimited(let method, let path, let messages):
            return "Vault rate-limited \(method) \(path): \(Self.joined(messages, or: "quota exceeded")). Retry later"
        case .notInitialized(let method, let path):
            return "Vault is not initialised (\(method) \(path)). Run `sprocketctl vault init` first"
        case .unreachable(let address, let reason):
            return "Cannot reach Vault at \(address): \(reason). Is it running? Set VAULT_ADDR (or --addr) "
                + "to its address, e.g. https://vault.example.com:8200"
        case .timeout(let method, let path, let after):
            return "Vault \(method) \(path) did not answer within \(after)"
        case .unexpected(let status, let method, let path, let messages):
            return "Vault \(method) \(path) failed with HTTP \(status)"
                + (messages.isEmpty ? "" : ": \(messages.joined(separator: "; "))")
        case .decoding(let path, let detail):
            return "Unexpected response from Vault \(path): \(detail)"
        case .transport(let method, let path, let reason):
            return "Vault \(method) \(path) failed: \(reason)"
        case .invalidConfiguration(let message):
            return "Invalid Vault configuration: \(message)"
        }
    }

    /// The same text as ``description``, for `LocalizedError` users (ArgumentParser prints it).
    public var errorDescription: String? { description }

    /// Vault wraps some messages in go-multierror text (`1 error occurred:\n\t* permission denied\n\n`);
    /// this flattens them to one line.
    private static func joined(_ messages: [String], or fallback: String) -> String {
        let flat = messages.flatMap(Self.unwrapMultiError).filter { !$0.isEmpty }
        return flat.isEmpty ? fallback : flat.joined(separator: "; ")
    }

    static func unwrapMultiError(_ message: String) -> [String] {
        guard message.contains("error occurred:") || message.contains("errors occurred:") else {
            return [message.trimmingCharacters(in: .whitespacesAndNewlines)]
        }
        return message.split(separator: "\n").compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return trimmed.hasPrefix("* ") ? String(trimmed.dropFirst(2)) : nil
        }
    }
}
