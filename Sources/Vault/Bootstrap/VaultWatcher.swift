import Foundation

/// Keeps a Vault unsealed: checks its health every interval and, when it comes back sealed (a restart, a crash,
/// a manual seal), unseals it with the kept keys. Runs until its task is cancelled; Vault being unreachable for a
/// while is reported and waited out, not fatal.
///
/// Events are reported on changes only (plus every unseal), so a healthy Vault produces one line, not one per
/// interval. No event carries a key or a token.
public struct VaultWatcher: Sendable {
    /// What the watcher saw or did.
    public enum Event: Sendable, Equatable, CustomStringConvertible {
        /// Vault answers, initialised and unsealed (`state` is its health, e.g. active or standby).
        case healthy(address: String, state: String)
        /// Vault answered sealed; an unseal follows.
        case sealed(address: String)
        /// This watcher unsealed Vault, `after` the first sealed answer.
        case unsealed(address: String, after: Duration)
        /// Unsealing failed; the watcher tries again next interval.
        case unsealFailed(address: String, reason: String)
        /// Vault is not initialised: `vault init` is needed; the watcher never initialises.
        case notInitialized(address: String)
        /// Vault does not answer (first failure of a run of failures).
        case unreachable(address: String, reason: String)

        public var description: String {
            switch self {
            case .healthy(let address, let state): "Vault at \(address) is unsealed (\(state))"
            case .sealed(let address): "Vault at \(address) is sealed: unsealing"
            case .unsealed(let address, let after): "Vault at \(address) unsealed \(Self.seconds(after)) after it was seen sealed"
            case .unsealFailed(let address, let reason): "could not unseal Vault at \(address): \(reason); retrying"
            case .notInitialized(let address): "Vault at \(address) is not initialised: run `sprocketctl vault init`"
            case .unreachable(let address, let reason): "Vault at \(address) is unreachable (\(reason)); still watching"
            }
        }

        /// A duration as seconds with one decimal, e.g. `2.0s`.
        public static func seconds(_ duration: Duration) -> String {
            let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
            return String(format: "%.1fs", Double(milliseconds) / 1000)
        }
    }

    let client: VaultClient
    let material: VaultKeyMaterial
    let keyFile: String?
    let interval: Duration

    /// - Parameters:
    ///   - client: The Vault to watch.
    ///   - material: The kept keys (at least the threshold of shares).
    ///   - keyFile: Named in unseal errors.
    ///   - interval: Time between health checks (default 2 s). After a failed check the next one comes sooner
    ///     (a quarter second, doubling up to the interval), so a restart is noticed quickly.
    public init(client: VaultClient, material: VaultKeyMaterial, keyFile: String? = nil, interval: Duration = .seconds(2)) {
        self.client = client
        self.material = material
        self.keyFile = keyFile
        self.interval = interval
    }

    /// Watches until the surrounding task is cancelled (then returns normally).
    public func run(events: @escaping @Sendable (Event) -> Void) async {
        let address = client.configuration.address
        let clock = ContinuousClock()
        var lastReported: Event?
        var sealedSince: ContinuousClock.Instant?
        var failures = 0
        func report(_ event: Event) {
            if event != lastReported { events(event) }
            lastReported = event
        }
        while !Task.isCancelled {
            do {
                let health = try await client.health()
                failures = 0
                switch health.state {
                case .notInitialized:
                    sealedSince = nil
                    report(.notInitialized(address: address))
                case .sealed:
                    let since = sealedSince ?? clock.now
                    sealedSince = since
                    report(.sealed(address: address))
                    do {
                        try await VaultUnsealer(client: client).unseal(with: material, keyFile: keyFile)
                        sealedSince = nil
                        report(.unsealed(address: address, after: clock.now - since))
                        continue  // confirm with a fresh health check right away
                    } catch is CancellationError {
                        return
                    } catch {
                        report(.unsealFailed(address: address, reason: "\(error)"))
                    }
                default:
                    sealedSince = nil
                    report(.healthy(address: address, state: health.state.description))
                }
            } catch is CancellationError {
                return
            } catch {
                failures += 1
                if failures == 1 { report(.unreachable(address: address, reason: Self.reason(error))) }
            }
            do {
                try await Task.sleep(for: delay(afterFailures: failures))
            } catch {
                return
            }
        }
    }

    /// The wait before the next check: the interval, or a quick retry after a failure.
    func delay(afterFailures failures: Int) -> Duration {
        guard failures > 0 else { return interval }
        let quick = Duration.milliseconds(250) * (1 << min(failures - 1, 10))
        return min(quick, interval)
    }

    static func reason(_ error: any Error) -> String {
        if case .unreachable(_, let reason) = error as? VaultClientError { return reason }
        return "\(error)"
    }
}
