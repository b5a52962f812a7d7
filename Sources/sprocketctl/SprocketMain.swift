import Logging
import SprocketCLI

/// The executable: routes library logs to stderr (never stdout), then runs the root command.
@main
enum SprocketMain {
    static func main() async {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        await SprocketCommand.main()
    }
}
