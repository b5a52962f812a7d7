import Foundation

/// Keeps the consumers' tokens alive between runs of `up` (`vault.renewer`): every interval, each token looks itself
/// up and, once less than half of its period (or creation TTL) remains, renews itself for a full one.
///
/// Each token renews itself (`auth/token/renew-self`, allowed by Vault's default policy): the renewer needs no
/// credential of its own and can do nothing the consumers' tokens cannot. It never mints or replaces a token: a
/// token that reached its max TTL, or that Vault no longer knows, is reported, and the next `up` mints a new one.
/// The files are read again at every pass, so a token `up` replaced is picked up without a restart.
public struct VaultTokenRenewer: Sendable {
    /// What happened to one token in one pass. Names the token by its file, never by value.
    public enum Event: Sendable, Equatable, CustomStringConvertible {
        /// More than half its lifetime remains: nothing to do.
        case fresh(token: String, remaining: Duration)
        /// Renewed; Vault granted `granted` from now.
        case renewed(token: String, granted: Duration)
        /// Renewal granted less than asked: the token reached its max TTL and will expire; `up` replaces it.
        case capped(token: String, granted: Duration)
        /// Vault refused the token itself: expired or revoked.
        case rejected(token: String, reason: String)
        /// The file cannot be read, or Vault could not be asked; tried again next pass.
        case failed(token: String, reason: String)

        public var token: String {
            switch self {
            case .fresh(let token, _), .renewed(let token, _), .capped(let token, _), .rejected(let token, _), .failed(let token, _): token
            }
        }

        /// `fresh`, `renewed`, `capped`, `rejected` or `failed`.
        public var kind: String {
            switch self {
            case .fresh: "fresh"
            case .renewed: "renewed"
            case .capped: "capped"
            case .rejected: "rejected"
            case .failed: "failed"
            }
        }

        public var description: String {
            switch self {
            case .fresh(let token, let remaining):
                "token \(token): \(VaultWatcher.Event.seconds(remaining)) left, more than half its lifetime: not renewed yet"
            case .renewed(let token, let granted): "token \(token): renewed for \(VaultWatcher.Event.seconds(granted))"
            case .capped(let token, let granted):
                "token \(token): renewed for only \(VaultWatcher.Event.seconds(granted)) (its max TTL): the next `sprocketctl up` replaces it"
            case .rejected(let token, let reason):
                "token \(token): Vault refused it (\(reason)); expired or revoked: the next `sprocketctl up` mints a new one"
            case .failed(let token, let reason): "token \(token): \(reason); trying again next pass"
            }
        }
    }

    let client: VaultClient
    /// Token files by the name events use.
    let tokenFiles: [(name: String, path: String)]
    let interval: Duration

    /// - Parameters:
    ///   - client: The Vault the tokens belong to; its own token is set per request and cleared after.
    ///   - tokenFiles: Each token's file (e.g. a Docker secret under `/run/secrets/`), with the name events use.
    public init(client: VaultClient, tokenFiles: [(name: String, path: String)], interval: Duration) {
        self.client = client
        self.tokenFiles = tokenFiles
        self.interval = interval
    }

    /// Passes until the surrounding task is cancelled, reporting every renewal, and any other event when it differs
    /// in kind from the token's previous one (a capped or refused token is not reported at every pass).
    public func run(events: @escaping @Sendable (Event) -> Void) async {
        var last: [String: String] = [:]
        while !Task.isCancelled {
            for event in await pass() {
                if event.kind == "renewed" || last[event.token] != event.kind { events(event) }
                last[event.token] = event.kind
            }
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
        }
    }

    /// One look at every token, renewing those past half their lifetime.
    public func pass() async -> [Event] {
        var events: [Event] = []
        for file in tokenFiles {
            events.append(await renew(file.name, at: file.path))
        }
        client.setToken(nil)
        return events
    }

    private func renew(_ name: String, at path: String) async -> Event {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failed(token: name, reason: "cannot read \(path)")
        }
        let value = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else { return .failed(token: name, reason: "\(path) is empty") }
        client.setToken(VaultSecretString(value))
        do {
            let info = try await client.lookupSelf()
            let lifetime = Duration.seconds(info.period.flatMap { $0 > 0 ? $0 : nil } ?? info.creationTTL)
            let remaining = Duration.seconds(info.ttl)
            // A token that never expires (ttl 0 with no lifetime) needs nothing.
            guard lifetime > .zero, remaining * 2 < lifetime else { return .fresh(token: name, remaining: remaining) }
            guard info.renewable else { return .capped(token: name, granted: remaining) }
            let renewed = try await client.renewSelf(increment: lifetime)
            // Vault grants the full lifetime unless the token's max TTL is nearer (a second of slack for rounding).
            return renewed.leaseDuration + .seconds(1) < lifetime
                ? .capped(token: name, granted: renewed.leaseDuration) : .renewed(token: name, granted: renewed.leaseDuration)
        } catch VaultClientError.permissionDenied(_, _, let messages) {
            return .rejected(token: name, reason: messages.first ?? "permission denied")
        } catch {
            return .failed(token: name, reason: VaultWatcher.reason(error))
        }
    }
}
