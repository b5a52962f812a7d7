import ArgumentParser

/// Placeholder registered so that parallel work can fill it in; replaced before release.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "doctor", abstract: "Run every check without changing anything, and explain each failure.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        throw ValidationError("`doctor` is not built yet")
    }
}
