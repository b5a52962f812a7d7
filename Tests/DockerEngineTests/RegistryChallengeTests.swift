@testable import DockerEngine
import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

@Suite("Registry challenges and credentials as the docker CLI keeps them")
struct RegistryChallengeTests {
    @Test("Bearer and Basic challenges; quoted values keep their commas")
    func challenges() {
        let bearer = RegistryChallenge(#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:a/b:pull,push""#)
        #expect(bearer.scheme == .bearer)
        #expect(bearer.parameters == ["realm": "https://auth.docker.io/token", "service": "registry.docker.io", "scope": "repository:a/b:pull,push"])
        let basic = RegistryChallenge(#"Basic realm="sprocket-test-registry""#)
        #expect(basic.scheme == .basic && basic.parameters["realm"] == "sprocket-test-registry")
        #expect(RegistryChallenge("Negotiate").scheme == .other("Negotiate"))
    }

    @Test("credentials: docker login's config.json by host (Docker Hub's v1 key), the override, helpers named, no secret shown")
    func credentials() throws {
        let folder = try TemporaryDirectory(prefix: "registry-credentials")
        defer { folder.remove() }
        let auth = Data("robot:canary-registry-password".utf8).base64EncodedString()
        try folder.write("config.json", """
            {"auths": {"127.0.0.1:5000": {"auth": "\(auth)"}, "https://index.docker.io/v1/": {"auth": "\(auth)"}, "ghcr.io": {}},
             "credsStore": "pass", "credHelpers": {"gcr.io": "gcloud"}}
            """)
        let store = RegistryCredentialStore(environment: ["DOCKER_CONFIG": folder.path, "HOME": "/nonexistent"])
        let local = try #require(try store.credential(for: "127.0.0.1:5000"))
        #expect(local.username == "robot" && local.source == "\(folder.path)/config.json")
        #expect(!local.description.contains("canary") && local.basicAuthorization == "Basic \(auth)")
        #expect(try store.credential(for: ImageReference.dockerHub)?.username == "robot")
        #expect(try store.credential(for: "quay.io") == nil, "an unknown registry is anonymous")
        for helperHost in ["ghcr.io", "gcr.io"] {
            #expect(throws: SprocketError.self) { try store.credential(for: helperHost) }
        }
        let override = RegistryCredentialStore(environment: ["SPROCKET_REGISTRY_AUTH": "ci:token", "DOCKER_CONFIG": folder.path])
        #expect(try override.credential(for: "127.0.0.1:5000")?.source == "SPROCKET_REGISTRY_AUTH")
        #expect(throws: SprocketError.self) { try RegistryCredentialStore(override: "no-colon").credential(for: "x.io") }
        #expect(try RegistryCredentialStore(environment: ["HOME": folder.path + "/none"]).credential(for: "x.io") == nil)
    }

    @Test("loopback registries are plain HTTP unless Docker's certs.d holds their CA; others HTTPS")
    func endpoints() throws {
        #expect(try RegistryEndpoint(host: "127.0.0.1:5000", certificatesDirectory: nil).scheme == "http")
        #expect(try RegistryEndpoint(host: "localhost:5000", certificatesDirectory: nil).scheme == "http")
        #expect(try RegistryEndpoint(host: "[::1]:5000", certificatesDirectory: nil).scheme == "http")
        #expect(try RegistryEndpoint(host: "registry.example.com", certificatesDirectory: nil).scheme == "https")
        #expect(try RegistryEndpoint(host: "127.0.0.1.example.com", certificatesDirectory: nil).scheme == "https",
                "a name that only starts like a loopback address is not one")
    }
}
