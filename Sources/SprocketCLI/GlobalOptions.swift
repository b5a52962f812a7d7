import ArgumentParser

/// Flags every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: [.customShort("f"), .customLong("file")], help: "A stack folder, a stack.yaml, or a Compose file (default: the current folder).")
    var file: String?

    @Option(name: .customLong("env"), help: "The environment to act on (default: the spec's default environment); `validate` takes several, checked together.")
    var environments: [String] = []

    /// The environment to act on: the last `--env` given, as for any option given twice.
    var environment: String? { environments.last }

    @Flag(name: .customLong("json"), help: "Machine-readable output on stdout (NDJSON events for long commands).")
    var json = false

    @Option(name: .customLong("state-dir"), help: "The state folder of this stack environment (default: .sprocket/<stack>/<env>; env SPROCKET_STATE_DIR).")
    var stateDirectory: String?

    @Option(name: .customLong("state"), help: "Where history, state and lock live: a local folder (default .sprocket) or s3://bucket/prefix?endpoint=…&region=…&path_style=true (env SPROCKET_STATE).")
    var state: String?

    @Option(name: .customLong("stand-ins"), help: "An image map (YAML): run the stack's topology with local stand-in images (env SPROCKET_STAND_INS).")
    var standIns: String?

    @Flag(name: .customLong("verbose"), help: "Print debug details on stderr.")
    var verbose = false
}
