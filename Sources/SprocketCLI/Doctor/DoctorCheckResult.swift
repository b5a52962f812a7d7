/// The outcome of one `doctor` check: a status, what was found, and what to do about a failure.
struct DoctorCheckResult: Encodable, Sendable {
    enum Status: String, Encodable, Sendable {
        case ok
        case warn
        case fail = "FAIL"
    }

    var name: String
    var status: Status
    var message: String
    var hint: String?
    /// Individual findings (e.g. each leaked token with its file:line and commit), already masked.
    var details: [String] = []
}

extension DoctorCheckResult {
    /// The usual shape of a check: `ok` with `passed` when nothing was found, else `status` with the findings listed.
    /// - Parameter message: the summary for a failure, given the number of findings.
    static func judging(
        _ name: String, _ findings: [String], passed: String, status: Status, message: (Int) -> String, hint: String
    ) -> DoctorCheckResult {
        guard !findings.isEmpty else { return DoctorCheckResult(name: name, status: .ok, message: passed) }
        return DoctorCheckResult(name: name, status: status, message: message(findings.count), hint: hint, details: findings)
    }
}
