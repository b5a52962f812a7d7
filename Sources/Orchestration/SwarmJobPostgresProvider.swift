import DockerEngine
import Foundation
import Logging
import Postgres
import SprocketCore

/// `postgres.reach: swarm-job`: the PostgreSQL provider run as a one-shot Swarm job inside the cluster, for a
/// database only the cluster can reach (a managed database trusting only the nodes, or one on an overlay network).
///
/// Each call (plan, apply, status, check, teardown) is one job: `sprocketctl postgres-job` with the request as a
/// Docker config and the secrets the spec names as Docker secrets; its answer is one line of its output. The job's
/// service, configs and secrets are removed when it ends. The image is `reach.image`, or one imported from this
/// very binary (then the job is placed on this node, the only one that has it).
struct SwarmJobPostgresProvider: ExternalResourceProvider {
    let spec: PostgresSpec
    let job: PostgresReach.SwarmJob
    let stack: StackSpec
    let secrets: [String: SecretMaterial]
    let engine: EngineHandle
    let logger: Logger

    var system: String { PostgresProvider.system }
    var endpointDescription: String { "\(spec.host):\(spec.port) (sslmode=\(spec.sslMode.rawValue), from a Swarm job\(job.network.map { " on \($0)" } ?? ""))" }
    var layer: String? { spec.layer }

    /// `plan` changes nothing, so it does not create the job's network: before the first `up` it reports the
    /// declared resources as to be created, saying why they were not read.
    func plan() async throws -> [ExternalChange] {
        if let missing = try await networkToCreate() {
            return ExternalProviders.declaredResources(stack).filter { $0.system == system }.map { change in
                var change = change
                change.details.append("\(Self.unreadNote)\(missing) does not exist yet; `up` creates it")
                return change
            }
        }
        return try await run(PostgresJobRequest(operation: .plan, spec: spec)).changes ?? []
    }

    /// Changes from a ``plan()`` that could not read the server (its network did not exist) are planned again
    /// first, from a job on the network this run now creates.
    /// The job applies every change in one go: `fence` is called once, before the job starts (the job itself holds no lease).
    func apply(_ changes: [ExternalChange], fence: LeaseFence) async throws -> ExternalApplyReport {
        var changes = changes
        if changes.contains(where: { $0.details.contains { $0.hasPrefix(Self.unreadNote) } }) {
            changes = try await run(PostgresJobRequest(operation: .plan, spec: spec)).changes ?? []
        }
        guard !changes.isEmpty else { return ExternalApplyReport(applied: [], mutatingOperations: 0) }
        try await fence("\(system): a Swarm job applying \(changes.count) changes")
        return try await run(PostgresJobRequest(operation: .apply, spec: spec, changes: changes)).applied
            ?? ExternalApplyReport(applied: [], mutatingOperations: 0)
    }

    /// Starts the detail of a change or status that could not be read from the server.
    static let unreadNote = "not read: network "

    func status() async throws -> [ExternalResourceStatus] {
        if let missing = try await networkToCreate() {
            let note = ["\(Self.unreadNote)\(missing) does not exist yet; `up` creates it"]
            return spec.roles.map { ExternalResourceStatus(system: system, kind: "role", name: $0.name, exists: false, details: note) }
                + spec.databases.map { ExternalResourceStatus(system: system, kind: "database", name: $0.name, exists: false, details: note) }
        }
        return try await run(PostgresJobRequest(operation: .status, spec: spec)).statuses ?? []
    }

    func check() async -> [GateCheckResult] {
        do {
            return try await run(PostgresJobRequest(operation: .check, spec: spec)).checks ?? []
        } catch {
            return [GateCheckResult(
                layer: spec.layer ?? system, check: "postgres job", passed: false, expected: "the login checks run from a Swarm job",
                seen: (error as? SprocketError)?.message ?? "\(error)")]
        }
    }

    func teardown(destroyData: Bool, dryRun: Bool, fence: LeaseFence) async throws -> ExternalTeardownReport {
        if !dryRun { try await fence("\(system): a Swarm job tearing down") }
        return try await run(PostgresJobRequest(operation: .teardown, spec: spec, destroyData: destroyData, dryRun: dryRun)).teardown
            ?? ExternalTeardownReport(removed: [], kept: [])
    }

    // MARK: - One job

    /// Where the request is mounted in the job's container.
    static let requestPath = "/run/sprocket/postgres-request.json"

    private func run(_ request: PostgresJobRequest) async throws -> PostgresJobResponse {
        try PostgresProvider.validate(spec)
        var request = request
        var files: [SwarmOneShotJob.File] = []
        for name in Set(spec.secretNames).sorted() {
            if let content = secrets[name]?.content, !content.bytes.isEmpty {
                files.append(SwarmOneShotJob.File(target: "/run/secrets/\(name)", content: content.bytes, isSecret: true))
            } else {
                request.unavailable[name] = secrets[name]?.unavailableReason ?? "was not resolved"
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        files.append(SwarmOneShotJob.File(target: Self.requestPath, content: [UInt8](try encoder.encode(request)), isSecret: false))

        let client = try await engine.driver().client
        let network = try await ensureNetwork(client)
        let (image, constraints) = try await image(client)
        let identity = StackIdentity(stack: stack.name, environment: stack.environment)
        let oneShot = SwarmOneShotJob(
            purpose: "postgres", image: image, command: [ExecutableImage.executablePath, "postgres-job", Self.requestPath],
            files: files, networks: network.map { [$0] } ?? [], constraints: constraints,
            // Not the ownership labels: the deployment must never take a job for one of its services.
            labels: ["io.sprocket.job.stack": identity.stack, "io.sprocket.job.env": identity.environment],
            timeout: .seconds(job.timeoutSeconds))
        logger.debug("postgres: running \(request.operation.rawValue) as a Swarm job (image \(image))")
        let outcome = try await oneShot.run(on: client)
        let lines = outcome.output.map(\.text)
        guard let response = PostgresJobResponse.parse(lines: lines) else {
            let tail = lines.suffix(5).joined(separator: " | ")
            throw SprocketError(
                .postgresConnection,
                "the postgres \(request.operation.rawValue) job ended \(outcome.state)\(outcome.exitCode.map { " (exit code \($0))" } ?? "")"
                    + "\(outcome.error.map { ": \($0)" } ?? "") without an answer\(tail.isEmpty ? "" : "; its last output: \(tail)")",
                subject: "postgres \(spec.host):\(spec.port) via Swarm job", hint: job.image == nil
                    ? "the job runs an image built from this sprocketctl; check `docker service ps` output while it runs"
                    : "check that \(job.image ?? "") has sprocketctl at \(ExecutableImage.executablePath) and the same version as this one")
        }
        if let failure = response.failure { throw failure.error }
        return response
    }

    /// The Docker name of the stack's network the job would join when it does not exist yet (nil: it exists, or
    /// the job joins none or an outside network).
    private func networkToCreate() async throws -> String? {
        guard let name = job.network, let declared = declaredNetwork(name), !declared.isExternal else { return nil }
        let client = try await engine.driver().client
        let existing = try await client.listNetworks(filters: DockerFilters(["name": [declared.dockerName]]))
        return existing.contains { $0.name == declared.dockerName } ? nil : declared.dockerName
    }

    private func declaredNetwork(_ name: String) -> DesiredNetwork? {
        DesiredStateBuilder(stack: stack, secrets: secrets).build().layers.flatMap(\.networks).first { $0.name == name }
    }

    /// The Docker name of the job's network; a network of the spec that does not exist yet is created as the
    /// deployment would create it (same name, labels and options), so the deployment finds it as planned.
    private func ensureNetwork(_ client: DockerClient) async throws -> String? {
        guard let name = job.network else { return nil }
        let declared = declaredNetwork(name)
        let dockerName = declared?.dockerName ?? name
        let existing = try await client.listNetworks(filters: DockerFilters(["name": [dockerName]]))
        if existing.contains(where: { $0.name == dockerName }) { return dockerName }
        guard let declared, !declared.isExternal else {
            throw SprocketError(
                .postgresSpec, "`postgres.reach.network` names `\(name)`, which is neither a network of this stack nor an existing Docker network",
                subject: job.location.description,
                hint: "name a network declared under a layer's `networks:` (e.g. `data`), or create the network first (`docker network ls`)")
        }
        try await engine.driver().createNetwork(declared)
        return dockerName
    }

    /// The job's image and placement: the declared image anywhere, or this binary's image on this node.
    private func image(_ client: DockerClient) async throws -> (String, [String]) {
        if let image = job.image { return (image, []) }
        let (reference, constraints) = try await ExecutableImage().ensureOnThisNode(on: client, subject: "postgres.reach")
        return (reference, constraints)
    }
}
