import Foundation
import SprocketCore
import SprocketTestSupport
import Synchronization

/// Small stacks built in code for the planner, applier and deployment tests.
///
/// ``standard`` is a three-layer stack in file order `edge`, `data`, `app`:
/// - `edge`: network `front`; service `proxy` (nginx:1) on `front`.
/// - `data` (needs `edge`): network `back`, volume `pgdata`, secret `db-password` (from `DB_PASSWORD`);
///   service `db` (postgres:16) on `back`, mounting `pgdata` and the secret.
/// - `app` (needs `data`): config `app-conf`; service `api` (api:1, `LOG=info`) on `front` and `back`, mounting
///   the secret and the config.
enum StackFixture {
    static let here = SourceLocation.synthetic("unit-test")
    static let identity = StackIdentity(stack: "it", environment: "dev")
    /// The value of `db-password` unless a test says otherwise.
    static let password = "hunter2"

    static var standard: StackSpec {
        stack([
            layer("edge", networks: [network("front")], services: [service("proxy", image: "nginx:1", networks: ["front"])]),
            layer(
                "data", needs: ["edge"], networks: [network("back")], volumes: [volume("pgdata")], secrets: [secret("db-password")],
                services: [
                    service(
                        "db", image: "postgres:16", networks: ["back"], volumes: ["pgdata": "/var/lib/postgresql/data"],
                        secrets: ["db-password"])
                ]),
            layer(
                "app", needs: ["data"], configs: [config("app-conf", "port: 8080\n")],
                services: [
                    service(
                        "api", image: "api:1", env: ["LOG": "info"], networks: ["front", "back"], secrets: ["db-password"],
                        configs: ["app-conf"])
                ]),
        ])
    }

    static func stack(_ layers: [LayerSpec], name: String = "it", environment: String = "dev") -> StackSpec {
        StackSpec(name: name, environment: environment, declaredEnvironments: [environment], layers: layers, rootDirectory: "/nonexistent", location: here)
    }

    static func layer(
        _ name: String, needs: [String] = [], timeout: Duration = LayerSpec.defaultTimeout, networks: [NetworkSpec] = [],
        volumes: [VolumeSpec] = [], configs: [ConfigSpec] = [], secrets: [SecretSpec] = [], services: [ServiceSpec] = []
    ) -> LayerSpec {
        LayerSpec(
            name: name, needs: needs.map { LayerReference(name: $0, location: here) }, timeout: timeout, networks: networks,
            volumes: volumes, configs: configs, secrets: secrets, services: services, location: here)
    }

    static func network(_ name: String, driver: String = "overlay", externalName: String? = nil, labels: [String: String] = [:]) -> NetworkSpec {
        NetworkSpec(name: name, externalName: externalName, driver: driver, labels: labels, location: here)
    }

    static func volume(_ name: String, driver: String = "local") -> VolumeSpec {
        VolumeSpec(name: name, driver: driver, location: here)
    }

    static func config(_ name: String, _ content: String, labels: [String: String] = [:]) -> ConfigSpec {
        ConfigSpec(name: name, source: .content, content: Array(content.utf8), labels: labels, location: here)
    }

    /// A secret read from an environment variable (`db-password` reads `DB_PASSWORD`).
    static func secret(_ name: String, source: SecretSpec.Source? = nil) -> SecretSpec {
        SecretSpec(name: name, source: source ?? .environment(variable: variable(for: name)), location: here)
    }

    static func variable(for secret: String) -> String {
        secret.uppercased().replacingOccurrences(of: "-", with: "_")
    }

    static func service(
        _ name: String, image: String = "img:1", env: [String: String] = [:], networks: [String] = [],
        volumes: [String: String] = [:], secrets: [String] = [], configs: [String] = [], replicas: Int? = nil
    ) -> ServiceSpec {
        var spec = ServiceSpec(name: name, image: image, location: here)
        spec.environment = env.keys.sorted().map { EnvironmentVariable(name: $0, value: env[$0] ?? "", location: here) }
        spec.networks = networks.map { NetworkAttachment(name: $0, location: here) }
        spec.mounts = volumes.keys.sorted().map { MountSpec(kind: .volume, source: $0, target: volumes[$0] ?? "", location: here) }
        spec.secrets = secrets.map { FileReference(source: $0, location: here) }
        spec.configs = configs.map { FileReference(source: $0, location: here) }
        spec.deploy.replicas = replicas
        return spec
    }

    /// The secret naming key of the fixtures' stack environment (a fixed one, so names are stable across tests).
    static let namingKey = SecretNamingKey(bytes: Array(repeating: 7, count: 32))

    /// The desired state of `stack` with every environment secret resolved to `password` (or `secrets`), its
    /// secrets named under ``namingKey`` (or as `naming` says).
    static func desired(
        _ stack: StackSpec, secrets: [String: String] = [:],
        naming: DesiredStateBuilder.SecretNamingInputs = .init(key: namingKey)
    ) -> DesiredState {
        DesiredStateBuilder(stack: stack, secrets: materials(stack, secrets: secrets), secretNaming: naming).build()
    }

    /// The values `desired` resolves: `password` unless `secrets` names another.
    static func materials(_ stack: StackSpec, secrets: [String: String] = [:]) -> [String: SecretMaterial] {
        var materials: [String: SecretMaterial] = [:]
        for secret in stack.layers.flatMap(\.secrets) {
            let value = secrets[secret.name] ?? password
            materials[secret.name] = SecretMaterial(name: secret.name, content: SensitiveBytes(Array(value.utf8)))
        }
        return materials
    }

    /// The desired state as sprocketctl deployed it before keyed names: every secret under the legacy plain hash.
    /// Produced by telling the builder those names are deployed, which it then keeps.
    static func legacyDesired(_ stack: StackSpec, secrets: [String: String] = [:]) -> DesiredState {
        let identity = StackIdentity(stack: stack.name, environment: stack.environment)
        let legacyNames = materials(stack, secrets: secrets).compactMap { name, material in
            material.content.map {
                identity.versionedObjectName(name, suffix: DockerSecretNaming.legacySuffix(identity: identity, name: name, value: $0.bytes))
            }
        }
        return desired(stack, secrets: secrets, naming: .init(key: nil, deployedNames: Set(legacyNames)))
    }

    /// A cluster that already runs `stacks`, applied one after the other (each later one as an update).
    static func cluster(running stacks: StackSpec..., secrets: [[String: String]] = []) -> RecordingClusterDriver {
        let driver = RecordingClusterDriver()
        for (index, stack) in stacks.enumerated() {
            driver.seed(desired(stack, secrets: index < secrets.count ? secrets[index] : [:]))
        }
        return driver
    }
}

extension StackSpec {
    /// Changes the service with this logical name, wherever it is declared.
    mutating func edit(service name: String, _ change: (inout ServiceSpec) -> Void) {
        for layerIndex in layers.indices {
            for serviceIndex in layers[layerIndex].services.indices where layers[layerIndex].services[serviceIndex].name == name {
                change(&layers[layerIndex].services[serviceIndex])
            }
        }
    }

    /// Changes the layer with this name.
    mutating func edit(layer name: String, _ change: (inout LayerSpec) -> Void) {
        for index in layers.indices where layers[index].name == name { change(&layers[index]) }
    }

    /// This stack with `change` applied, for one-line variations.
    func with(_ change: (inout StackSpec) -> Void) -> StackSpec {
        var copy = self
        change(&copy)
        return copy
    }
}

extension DesiredState {
    /// The Docker name of the current version of a config or secret.
    func objectName(_ logicalName: String) -> String? {
        layers.flatMap { $0.configs + $0.secrets }.first { $0.name == logicalName }?.dockerName
    }

    func service(_ name: String) -> DesiredService? {
        layers.flatMap(\.services).first { $0.name == name }
    }
}

extension Plan {
    func changes(in layer: String) -> [PlannedChange] {
        (layers + orphanLayers).first { $0.layer == layer }?.changes ?? []
    }
}

/// A folder of its own under the system temp folder; call ``remove()`` (in a `defer`) when done.
struct ScratchFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("sprocket-unit-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    /// Every entry below the folder, relative paths sorted (hidden files included).
    func contents() -> [String] {
        ((try? FileManager.default.subpathsOfDirectory(atPath: path)) ?? []).sorted()
    }

    func write(_ text: String, to name: String) throws {
        let full = file(name)
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
    }

    func read(_ name: String) -> String? {
        FileManager.default.contents(atPath: file(name)).map { String(decoding: $0, as: UTF8.self) }
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Base of the suites whose tests each need a folder of their own: Swift Testing makes one suite instance per
/// test, so `init` and `deinit` bracket exactly one test.
class ScratchFolderSuite {
    let folder: ScratchFolder

    init() throws { folder = try ScratchFolder() }
    deinit { folder.remove() }
}

/// Collects the applier's events (the handler is called from concurrent tasks).
final class EventLog: Sendable {
    private let recorded = Mutex<[ApplyEvent]>([])

    var handler: ApplyEventHandler { { [self] event in recorded.withLock { $0.append(event) } } }
    var events: [ApplyEvent] { recorded.withLock { $0 } }

    var warnings: [String] {
        events.compactMap { if case .warning(let text) = $0 { text } else { nil } }
    }

    var startedLayers: [String] {
        events.compactMap { if case .layerStarted(let layer, _) = $0 { layer } else { nil } }
    }

    var failedLayers: [String] {
        events.compactMap { if case .layerFailed(let layer, _) = $0 { layer } else { nil } }
    }

    var failedChanges: [PlannedChange] {
        events.compactMap { if case .changeFailed(let change, _) = $0 { change } else { nil } }
    }
}
