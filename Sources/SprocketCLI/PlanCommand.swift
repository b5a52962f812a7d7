import ArgumentParser
import SprocketCore
import Orchestration

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "Show what `up` would change, field by field, without changing anything.")

    @OptionGroup var options: GlobalOptions

    @Flag(help: "Plan against nothing: needs only the spec (no daemon); every object shows as a create.")
    var offline = false

    @Flag(help: "Exit 2 when there are changes, 0 when there are none.")
    var detailedExitcode = false

    @Option(help: "Only this layer (repeatable).")
    var layer: [String] = []

    @Flag(help: "Do not plan removal of objects that are gone from the spec.")
    var noPrune = false

    @Option(name: .customLong("rekey-secrets"), help: ArgumentHelp(
        "Show the move of at most N secrets still named the legacy way to keyed names, as `up --rekey-secrets N` does it.",
        valueName: "N"))
    var rekeySecrets = 0

    func validate() throws {
        guard rekeySecrets >= 0 else { throw ValidationError("--rekey-secrets \(rekeySecrets): give a count of 0 or more") }
    }

    func run() async throws {
        try await CommandRuntime.run(options) { runtime in
            let stack = try runtime.loadSpec()
            let plannerOptions = Planner.Options(layers: layer.isEmpty ? nil : Set(layer), prune: !noPrune, rekeySecrets: rekeySecrets)
            var plan: Plan?
            var external: [ExternalChange] = []
            let shared = offline ? nil : StackIdentity(stack: stack.name, environment: stack.environment)
            try await runtime.withDeployment(sharingSealedStoreOf: shared) { deployment, engine in
                let prepared = try await deployment.prepare(stack, options: plannerOptions, offline: offline)
                plan = prepared.plan
                if offline {
                    external = ExternalProviders.declaredResources(stack)
                } else {
                    for provider in try ExternalProviders.make(stack, secrets: prepared.secrets, environment: runtime.environment, engine: engine, logger: runtime.logger) {
                        external += try await provider.plan()
                    }
                }
            }
            guard let plan else { return }
            if options.json {
                runtime.console.json(PlanOutput(plan: plan, external: external))
            } else {
                var lines = PlanRenderer(color: false).render(plan)
                let summary = lines.popLast()
                lines += ExternalProviders.render(external, offline: offline)
                if offline { lines += Self.routeLines(stack) }
                if let summary { lines.append(summary) }
                if !external.isEmpty { lines.append("Outside Docker: \(external.count) change\(external.count == 1 ? "" : "s")\(offline ? " declared" : "").") }
                for line in lines { runtime.console.out(line) }
            }
            if detailedExitcode && (plan.hasChanges || !external.isEmpty) { throw ExitCode(ExitStatus.changesPresent) }
        }
    }
}

extension PlanCommand {
    /// `plan --offline` also lists the routers the labels declare: every way the stack is reached.
    static func routeLines(_ stack: StackSpec) -> [String] {
        let routers = RouteLabelCompiler(stack: stack).compiledRouters()
        guard !routers.isEmpty else { return [] }
        return ["routes (Traefik \(stack.routing.traefik.rawValue)):"] + routers.map { router in
            let tls = router.certResolver.map { "TLS \($0)" } ?? (router.tls ? "TLS default certificate" : "plain HTTP")
            let auth = router.middlewares.isEmpty ? "" : "; middlewares \(router.middlewares.joined(separator: ", "))"
            return "  \(router.name): \(router.rule) -> \(router.specService) (\(router.entryPoints.joined(separator: ",")); \(tls)\(auth))"
        }
    }
}

/// `plan --json`: the plan's own fields, plus `external` (changes to PostgreSQL, S3).
struct PlanOutput: Encodable {
    var plan: Plan
    var external: [ExternalChange]

    private enum Keys: String, CodingKey { case external }

    func encode(to encoder: any Encoder) throws {
        try plan.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(external, forKey: .external)
    }
}
