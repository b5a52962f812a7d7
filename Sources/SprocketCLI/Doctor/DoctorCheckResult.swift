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
