/// A service's `healthcheck:` and `logging:`.
struct HealthcheckParser {
    let context: SpecParseContext

    static let testKinds = ["CMD", "CMD-SHELL", "NONE"]

    /// `{test, interval, timeout, retries, start_period, disable}`; `disable: true` is `["NONE"]`.
    func healthcheck(_ node: YAMLNode) -> HealthcheckSpec? {
        guard let fields = context.fields(node, of: "`healthcheck`",
                                          known: ["test", "interval", "timeout", "retries", "start_period", "disable"],
                                          unsupported: ComposeCompatibility.healthcheckKeys)
        else { return nil }
        var check = HealthcheckSpec(test: [], location: node.location)
        if let testNode = fields["test"] { check.test = test(testNode) ?? [] }
        if let node = fields["disable"], context.boolean(node, for: "healthcheck.disable") == true {
            if fields["test"] != nil {
                context.diagnostics.warning(node.location, "`healthcheck.disable: true` overrides `healthcheck.test`",
                                            hint: "remove `test:` or `disable:`")
            }
            check.test = ["NONE"]
        }
        check.interval = fields["interval"].flatMap { context.duration($0, for: "healthcheck.interval") }
        check.timeout = fields["timeout"].flatMap { context.duration($0, for: "healthcheck.timeout") }
        check.retries = fields["retries"].flatMap { context.integer($0, for: "healthcheck.retries") }
        check.startPeriod = fields["start_period"].flatMap { context.duration($0, for: "healthcheck.start_period") }
        return check
    }

    /// A string is a shell command (`CMD-SHELL`); a list starts with `CMD`, `CMD-SHELL` or `NONE`.
    private func test(_ node: YAMLNode) -> [String]? {
        if node.scalar != nil {
            return context.string(node, for: "healthcheck.test").map { ["CMD-SHELL", $0] }
        }
        guard let items = node.sequence else {
            context.typeError(node, expected: "a string or a list", for: "healthcheck.test")
            return nil
        }
        let words = items.compactMap { context.string($0, for: "healthcheck.test") }
        guard words.count == items.count else { return nil }
        guard let kind = words.first, Self.testKinds.contains(kind) else {
            let first = words.first ?? ""
            context.diagnostics.error(node.location, "`healthcheck.test` must start with `CMD`, `CMD-SHELL` or `NONE`, found `\(first)`",
                                      hint: SpecSuggestions.didYouMean(first, in: Self.testKinds)
                                        ?? "write `[\"CMD\", \"\(first)\", ...]`, or a plain string for a shell command")
            return nil
        }
        switch kind {
        case "NONE" where words.count > 1:
            context.diagnostics.error(node.location, "`healthcheck.test: [NONE]` takes no arguments", hint: "write `[\"NONE\"]`")
            return nil
        case "CMD-SHELL" where words.count != 2:
            context.diagnostics.error(node.location, "`healthcheck.test` with `CMD-SHELL` takes exactly one command string",
                                      hint: "write `[\"CMD-SHELL\", \"curl -f http://localhost/ || exit 1\"]`")
            return nil
        case "CMD" where words.count < 2:
            context.diagnostics.error(node.location, "`healthcheck.test` with `CMD` needs a program to run",
                                      hint: "write `[\"CMD\", \"/bin/check\", \"--quick\"]`")
            return nil
        default:
            return words
        }
    }

    /// `{driver, options}`.
    func logging(_ node: YAMLNode) -> LoggingSpec? {
        guard let fields = context.fields(node, of: "`logging`", known: ["driver", "options"]) else { return nil }
        // Without `driver`, the options go to the daemon's default log driver, as Compose and `docker stack
        // deploy` send them (an empty driver name).
        var driver = ""
        if let driverNode = fields["driver"] {
            guard let named = context.string(driverNode, for: "logging.driver") else { return nil }
            driver = named
        }
        let options = fields["options"].map { KeyValueParser(context: context).dictionary($0, for: "logging.options", listAllowed: false) }
        return LoggingSpec(driver: driver, options: options ?? [:])
    }
}
