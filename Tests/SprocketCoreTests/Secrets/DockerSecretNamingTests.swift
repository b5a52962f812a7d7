import Foundation
import SprocketCore
import Testing

@Suite("DockerSecretNaming")
struct DockerSecretNamingTests {
    let identity = StackIdentity(stack: "shop", environment: "prod")
    let value = Array("hunter2".utf8)
    static let key = SecretNamingKey(bytes: Array(repeating: 1, count: 32))
    static let otherKey = SecretNamingKey(bytes: Array(repeating: 2, count: 32))

    func naming(key: SecretNamingKey? = Self.key, deployed: Set<String> = [], rekeying: Set<String> = []) -> DockerSecretNaming {
        DockerSecretNaming(identity: identity, key: key, deployedNames: deployed, rekeying: rekeying)
    }

    var legacyName: String {
        identity.versionedObjectName("db-password", suffix: DockerSecretNaming.legacySuffix(identity: identity, name: "db-password", value: value))
    }

    @Test("a keyed name: `k` and 12 hex, stable under the same key, different under another key and for another value")
    func keyedName() throws {
        let name = naming().name(of: "db-password", value: value)
        #expect(name.scheme == .keyed)
        #expect(name.dockerName == "shop-prod_db-password_\(name.suffix)")
        #expect(name.suffix.hasPrefix("k") && name.suffix.count == 13)
        #expect(name.suffix.dropFirst().allSatisfy { "0123456789abcdef".contains($0) })
        #expect(naming().name(of: "db-password", value: value) == name)
        #expect(naming(key: Self.otherKey).name(of: "db-password", value: value).dockerName != name.dockerName)
        #expect(naming().name(of: "db-password", value: Array("hunter3".utf8)).dockerName != name.dockerName)
        #expect(naming().name(of: "api-password", value: value).suffix != name.suffix, "equal values of two secrets look unrelated")
    }

    @Test("the keyed name holds no plain SHA-256 of the value: neither the legacy suffix nor a bare hash")
    func noPlainHash() {
        let name = naming().name(of: "db-password", value: value).dockerName
        let legacySuffix = DockerSecretNaming.legacySuffix(identity: identity, name: "db-password", value: value)
        #expect(!name.contains(legacySuffix))
        #expect(!name.contains(String(ContentHash.sha256Hex(value).prefix(12))))
        #expect(!name.contains("hunter2"))
    }

    @Test("a deployed legacy name that still holds the value is kept, with or without a key")
    func legacyKept() {
        for key in [Self.key, nil] {
            let name = naming(key: key, deployed: [legacyName]).name(of: "db-password", value: value)
            #expect(name.scheme == .legacy)
            #expect(name.dockerName == legacyName)
        }
    }

    @Test("a changed value gets a keyed name even though the old value's legacy name is deployed")
    func changedValueMoves() {
        let name = naming(deployed: [legacyName]).name(of: "db-password", value: Array("new value".utf8))
        #expect(name.scheme == .keyed)
        #expect(name.dockerName != legacyName)
    }

    @Test("the bounded migration moves a legacy name to the keyed one; once deployed, the keyed name wins")
    func rekeying() {
        let moved = naming(deployed: [legacyName], rekeying: ["db-password"]).name(of: "db-password", value: value)
        #expect(moved.scheme == .rekeyed)
        #expect(moved.dockerName == naming().name(of: "db-password", value: value).dockerName)
        // The run after: both exist (the legacy one kept for Swarm's rollback); the keyed one stays chosen.
        let after = naming(deployed: [legacyName, moved.dockerName]).name(of: "db-password", value: value)
        #expect(after.scheme == .keyed)
        #expect(after.dockerName == moved.dockerName)
    }

    @Test("without a naming key a new secret gets a placeholder, and a move waits for the key")
    func awaitingKey() {
        let fresh = naming(key: nil).name(of: "db-password", value: value)
        #expect(fresh.scheme == .awaitingKey)
        #expect(fresh.dockerName == "shop-prod_db-password_\(DockerSecretNaming.awaitingKeySuffix)")
        #expect(naming(key: nil, deployed: [legacyName], rekeying: ["db-password"]).name(of: "db-password", value: value).scheme == .awaitingKey)
    }

    @Test("legacy names are told from keyed ones by the name alone")
    func legacyForm() {
        let keyed = naming().name(of: "db-password", value: value).dockerName
        #expect(DockerSecretNaming.isLegacyName(legacyName, logicalName: "db-password", identity: identity))
        #expect(!DockerSecretNaming.isLegacyName(keyed, logicalName: "db-password", identity: identity))
        #expect(!DockerSecretNaming.isLegacyName(legacyName, logicalName: "db", identity: identity), "another secret's name")
    }

    @Test("legacy-named secrets on the engine are counted, but not an old version kept only for Swarm's rollback")
    func countsLegacyNamed() {
        let keyed = naming().name(of: "db-password", value: value).dockerName
        let oldLegacy = identity.versionedObjectName("api-key", suffix: "0123456789ab")
        let mountedLegacy = identity.versionedObjectName("api-key", suffix: "ba9876543210")
        func secret(_ name: String, _ dockerName: String) -> ObservedObject {
            ObservedObject(kind: .secret, id: dockerName, dockerName: dockerName, layer: "app", name: name, specHash: nil)
        }
        var definition = ServiceDefinition(image: "img:1")
        definition.secrets = [FileMountDefinition(objectName: mountedLegacy, target: "/run/secrets/api-key")]
        let service = ObservedService(
            id: "s", dockerName: "shop-prod_api", layer: "app", name: "api", specHash: nil, version: 1, definition: definition,
            previousReferences: [oldLegacy])
        let observed = ObservedState(
            identity: identity,
            secrets: [secret("db-password", legacyName), secret("db-password", keyed), secret("api-key", oldLegacy), secret("api-key", mountedLegacy)],
            services: [service])
        #expect(DockerSecretNaming.legacyNamedSecrets(in: observed).map(\.dockerName).sorted() == [mountedLegacy, legacyName].sorted())
    }
}
