import Foundation

/// Counts the ledger's orders against each limit for one planned certificate, at one instant.
struct RateLimitAssessor {
    let ledger: CertificateLedger
    let now: Date

    func assess(names: [String], environment: ACMEEnvironment) -> RateLimitAssessment {
        let isRenewal = ledger.wasIssued(exactSet: names, in: environment, before: now)
        let orders = ledger.orders.filter { $0.environment == environment }
        var checks: [RateLimitCheck] = []
        for limit in ledger.limits(environment) {
            switch limit.kind {
            case .certificatesPerRegisteredDomain:
                guard !isRenewal else { continue }
                for domain in Set(names.map(ledger.registeredDomain(of:))).sorted() {
                    let dates = orders.filter {
                        $0.outcome == .issued && !$0.isRenewal && $0.names.map(ledger.registeredDomain(of:)).contains(domain)
                    }.map(\.date)
                    checks.append(check(limit, subject: domain, dates: dates, environment: environment))
                }
            case .certificatesPerExactSet:
                let dates = orders.filter { $0.outcome == .issued && $0.names == names }.map(\.date)
                checks.append(check(limit, subject: names.joined(separator: ","), dates: dates, environment: environment))
            case .authorizationFailuresPerIdentifier:
                for name in names {
                    let dates = orders.filter { $0.outcome == .failed && $0.failedIdentifiers.contains(name) }.map(\.date)
                    checks.append(check(limit, subject: name, dates: dates, environment: environment))
                }
            case .newOrdersPerAccount:
                guard !isRenewal else { continue }
                let dates = orders.filter { !$0.isRenewal }.map(\.date)
                checks.append(check(limit, subject: "account", dates: dates, environment: environment))
            }
        }
        return RateLimitAssessment(environment: environment, names: names, isRenewal: isRenewal, checks: checks)
    }

    /// Counts `dates` inside the sliding window ending now and grades the result.
    private func check(_ limit: RateLimit, subject: String, dates: [Date], environment: ACMEEnvironment)
        -> RateLimitCheck
    {
        let start = now.addingTimeInterval(-limit.window)
        let counted = dates.filter { $0 > start }.sorted()
        let used = counted.count
        let warnAt = max(1, Int((ledger.warningThreshold * Double(limit.maximum)).rounded(.up)))
        let window = Self.describe(window: limit.window)
        let server = "Let's Encrypt \(environment)"
        let head = "\(subject): \(used) of \(limit.maximum) \(limit.kind.phrase) used in the last \(window) (\(server))"
        if used >= limit.maximum {
            let availableAt = counted[used - limit.maximum].addingTimeInterval(limit.window)
            return RateLimitCheck(
                limit: limit.kind, subject: subject, used: used, maximum: limit.maximum, window: limit.window,
                status: .exceeded, availableAt: availableAt,
                message: "\(head); it would refuse another until \(Self.format(availableAt)): wait, or use the "
                    + "staging resolver meanwhile")
        }
        let isWarning = used + 1 >= warnAt
        return RateLimitCheck(
            limit: limit.kind, subject: subject, used: used, maximum: limit.maximum, window: limit.window,
            status: isWarning ? .warning : .ok, availableAt: nil,
            message: isWarning
                ? "\(head); \(limit.maximum - used) left: test with the staging resolver instead of issuing again"
                : head)
    }

    private static func describe(window: TimeInterval) -> String {
        let hours = Int(window / 3600)
        if hours % 24 == 0 { return hours == 24 ? "day" : "\(hours / 24) days" }
        return hours == 1 ? "hour" : "\(hours) hours"
    }

    private static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime]
        return formatter.string(from: date) + " UTC"
    }
}
