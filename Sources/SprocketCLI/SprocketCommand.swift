import ArgumentParser

/// `sprocketctl`: deploy a layered stack onto Docker Swarm from one spec.
public struct SprocketCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "sprocketctl",
        abstract: "Deploy, verify and keep up a layered stack on Docker Swarm from one declarative spec.",
        discussion: """
            Exit codes: 0 success; 1 the run failed (deploy, engine or state error; a rolled-back `up` too); 2 \
            `plan --detailed-exitcode` found changes, or `drift --exit-code` found drift; 3 the spec is invalid; \
            4 another run holds the lock; 5 the Docker daemon is unreachable.
            """,
        version: "0.1.0",
        subcommands: [
            ValidateCommand.self,
            PlanCommand.self,
            UpCommand.self,
            DownCommand.self,
            StatusCommand.self,
            VerifyCommand.self,
            HistoryCommand.self,
            RollbackCommand.self,
            StateCommand.self,
            DriftCommand.self,
            VaultCommand.self,
            AcmeCommand.self,
            SecretsCommand.self,
            ImagesCommand.self,
            DoctorCommand.self,
            GraphCommand.self,
            DocsCommand.self,
            NodeCommand.self,
            PostgresJobCommand.self,
            RouteProbeJobCommand.self,
        ]
    )

    public init() {}
}

/// The process exit codes, documented in `--help` and the README.
public enum ExitStatus {
    public static let failure: Int32 = 1
    public static let changesPresent: Int32 = 2
    public static let invalidSpec: Int32 = 3
    public static let locked: Int32 = 4
    public static let engineUnreachable: Int32 = 5
    /// The run lost its lock on the stack environment to another run and stopped (README: "When a run loses its lock").
    public static let leaseLost: Int32 = 6
}
