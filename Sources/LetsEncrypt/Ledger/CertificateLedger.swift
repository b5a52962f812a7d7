import Foundation
import SprocketCore

/// A local record of the certificates this deployment had issued (and the orders that failed), per environment,
/// so that testing cannot silently run into Let's Encrypt's weekly limits.
///
/// The ledger is a JSON file written atomically (``AtomicFile``). It only knows what it was told: certificates
/// issued by other machines for the same registered domain count at Let's Encrypt but not here. Two processes
/// updating it at once can lose one update (the deploy lock is expected to serialise them).
public struct CertificateLedger: Sendable {
    /// The renewal look-back: an exact set issued within this many seconds counts as a renewal.
    static let renewalWindow: TimeInterval = 90 * 24 * 3600

    /// The ledger file.
    public let path: String
    /// Every order recorded, oldest first.
    public private(set) var orders: [LedgerOrder]
    /// Finds registered domains.
    public var suffixes: PublicSuffixes
    /// The fraction of a limit at which checks turn to `warning` (0.8 = from the 40th of 50 certificates).
    public var warningThreshold: Double
    /// The limits per environment (Let's Encrypt's documented ones by default).
    public var limits: @Sendable (ACMEEnvironment) -> [RateLimit]
    private let now: @Sendable () -> Date

    /// Opens the ledger at `path`; a missing file is an empty ledger (created on the first record).
    /// - Parameters:
    ///   - suffixes: public suffixes for registered domains (add ones the built-in subset lacks).
    ///   - warningThreshold: 0 to 1; see ``warningThreshold``.
    ///   - now: the clock (injected in tests).
    /// - Throws: ``SprocketError`` `.stateCorrupt` naming the path when the file is not a ledger, `.stateIO` when
    ///   it cannot be read.
    public init(
        path: String, suffixes: PublicSuffixes = PublicSuffixes(), warningThreshold: Double = 0.8,
        limits: @escaping @Sendable (ACMEEnvironment) -> [RateLimit] = RateLimit.letsEncrypt,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        self.path = path
        self.suffixes = suffixes
        self.warningThreshold = min(max(warningThreshold, 0), 1)
        self.limits = limits
        self.now = now
        guard let bytes = try AtomicFile.read(path) else {
            orders = []
            return
        }
        let document: LedgerDocument
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            document = try decoder.decode(LedgerDocument.self, from: Data(bytes))
        } catch {
            throw SprocketError(
                .stateCorrupt, "the certificate ledger is not valid JSON of the expected shape (\(Self.describe(error)))",
                subject: path,
                hint: "fix the file or move it aside; the ledger only holds issuance history, and Let's Encrypt's "
                    + "own limits still apply while it is empty")
        }
        guard document.schemaVersion <= LedgerDocument.currentSchemaVersion else {
            throw SprocketError(
                .stateCorrupt, "the certificate ledger has schema version \(document.schemaVersion), newer than "
                    + "this tool's \(LedgerDocument.currentSchemaVersion)",
                subject: path, hint: "use a newer sprocketctl")
        }
        orders = document.orders.sorted { $0.date < $1.date }
    }

    /// Records a certificate issued for `names` and saves the ledger.
    /// - Parameter date: when it was issued; now by default.
    /// - Throws: ``SprocketError`` `.stateIO` when the file cannot be written.
    public mutating func recordIssued(names: [String], environment: ACMEEnvironment, date: Date? = nil) throws {
        let when = date ?? now()
        let set = LedgerOrder.canonical(names)
        orders.append(LedgerOrder(environment: environment, names: set, date: when, outcome: .issued,
                                  isRenewal: wasIssued(exactSet: set, in: environment, before: when)))
        try save()
    }

    /// Records an order whose validation failed for `failedIdentifiers` (all names when empty) and saves.
    /// - Throws: ``SprocketError`` `.stateIO` when the file cannot be written.
    /// - Parameter reason: what the CA said, kept with the order so `acme` commands can show it.
    public mutating func recordFailure(
        names: [String], failedIdentifiers: [String] = [], environment: ACMEEnvironment, date: Date? = nil,
        reason: String? = nil
    ) throws {
        let when = date ?? now()
        let set = LedgerOrder.canonical(names)
        orders.append(LedgerOrder(
            environment: environment, names: set, date: when, outcome: .failed,
            failedIdentifiers: failedIdentifiers.isEmpty ? set : failedIdentifiers,
            isRenewal: wasIssued(exactSet: set, in: environment, before: when), reason: reason))
        try save()
    }

    /// Records the failed validations Traefik logged (``TraefikACMELogParser``) that the ledger does not hold yet,
    /// and saves once. Orders that never reached a validation (``ACMEOrderFailure/isFailedValidation`` false) do not
    /// count against Let's Encrypt's limits and are not recorded.
    ///
    /// Reading the same log twice records nothing new: a failure is identified by its time (the log's second), names
    /// and reason, and as many are added as the log holds beyond what the ledger already has. Each logged failure is
    /// a real order at the CA (Traefik retries on its own), so each counts.
    /// - Parameter environment: where failures of a CA that is neither Let's Encrypt's production nor staging
    ///   directory (a test CA) are filed.
    /// - Returns: the failures newly recorded.
    /// - Throws: ``SprocketError`` `.stateIO` when the file cannot be written.
    @discardableResult
    public mutating func recordFailures(_ failures: [ACMEOrderFailure], unknownCA environment: ACMEEnvironment) throws
        -> [ACMEOrderFailure]
    {
        var seen: [String: Int] = [:]
        var added: [ACMEOrderFailure] = []
        for failure in failures where failure.isFailedValidation {
            let order = LedgerOrder(
                environment: failure.environment(fallback: environment), names: failure.domains, date: failure.date,
                outcome: .failed, failedIdentifiers: failure.failedIdentifiers, reason: failure.reason,
                resolver: failure.resolver, caServer: failure.caServer)
            let key = Self.identity(of: order)
            seen[key, default: 0] += 1
            let held = orders.filter { $0.outcome == .failed && Self.identity(of: $0) == key }.count
            guard seen[key, default: 0] > held else { continue }
            var recorded = order
            recorded.isRenewal = wasIssued(exactSet: order.names, in: order.environment, before: order.date)
            orders.append(recorded)
            added.append(failure)
        }
        guard !added.isEmpty else { return [] }
        orders.sort { $0.date < $1.date }
        try save()
        return added
    }

    /// The failed orders naming `host`, oldest first.
    public func failures(of host: String, in environment: ACMEEnvironment? = nil) -> [LedgerOrder] {
        let name = DNSName.normalize(host)
        return orders.filter {
            $0.outcome == .failed && $0.failedIdentifiers.contains(name) && (environment == nil || $0.environment == environment)
        }
    }

    private static func identity(of order: LedgerOrder) -> String {
        "\(order.environment.rawValue) \(Int(order.date.timeIntervalSince1970)) \(order.names.joined(separator: ",")) \(order.reason ?? "")"
    }

    /// True when a certificate naming `host` was ever issued in `environment`.
    public func hasIssued(_ host: String, in environment: ACMEEnvironment) -> Bool {
        lastIssuance(of: host, in: environment) != nil
    }

    /// When a certificate naming `host` was last issued in `environment`; nil if never.
    public func lastIssuance(of host: String, in environment: ACMEEnvironment) -> Date? {
        let name = DNSName.normalize(host)
        return orders.last { $0.environment == environment && $0.outcome == .issued && $0.names.contains(name) }?.date
    }

    /// The registered domain `name` counts against.
    public func registeredDomain(of name: String) -> String {
        suffixes.registeredDomain(of: name).domain
    }

    /// Where each limit stands for a planned certificate for `names`, as of now.
    public func assess(names: [String], environment: ACMEEnvironment) -> RateLimitAssessment {
        RateLimitAssessor(ledger: self, now: now()).assess(names: LedgerOrder.canonical(names), environment: environment)
    }

    /// Like ``assess(names:environment:)``, but throws when a limit is reached and `force` is false.
    /// - Throws: ``SprocketError`` `.rateLimited` with the first exceeded limit's message.
    @discardableResult
    public func authorize(names: [String], environment: ACMEEnvironment, force: Bool = false) throws
        -> RateLimitAssessment
    {
        let assessment = assess(names: names, environment: environment)
        if !force, let exceeded = assessment.checks.first(where: { $0.status == .exceeded }) {
            throw SprocketError(
                .rateLimited, exceeded.message, subject: assessment.names.joined(separator: ", "),
                hint: "use the staging resolver until then; force only if the ledger at \(path) is wrong")
        }
        return assessment
    }

    func wasIssued(exactSet: [String], in environment: ACMEEnvironment, before date: Date) -> Bool {
        orders.contains {
            $0.environment == environment && $0.outcome == .issued && $0.names == exactSet
                && $0.date <= date && date.timeIntervalSince($0.date) < Self.renewalWindow
        }
    }

    private func save() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(LedgerDocument(orders: orders))
        try AtomicFile.write(Array(data) + [0x0A], to: path)
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context):
            return context.underlyingError.map { "\($0.localizedDescription)" } ?? context.debugDescription
        case DecodingError.keyNotFound(let key, let context):
            return "missing \"\(key.stringValue)\" at \(path(of: context))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "\(context.debugDescription) at \(path(of: context))"
        default:
            return "\(error)"
        }
    }

    private static func path(of context: DecodingError.Context) -> String {
        let parts = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }
        return parts.isEmpty ? "the top level" : parts.joined()
    }
}
