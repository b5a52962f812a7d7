import Logging
import SprocketCLI

/// The executable: routes library logs to stderr (never stdout), with known secret values redacted, then runs the root command.
@main
enum SprocketMain {
    static func main() async {
        LoggingSystem.bootstrap { label in RedactingLogHandler(wrapping: StreamLogHandler.standardError(label: label)) }
        await SprocketCommand.main()
    }
}
