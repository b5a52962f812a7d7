import DockerEngine
import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

/// `RegistryDigestResolver` against a real distribution registry (Debian's docker-registry) on loopback: anonymous
/// over plain HTTP, then the same storage behind TLS with its own CA and an htpasswd file.
@Suite("Registry digests from a real registry")
struct RealRegistryResolverTests {
    static let image = ProcessInfo.processInfo.environment["SPROCKET_TEST_IMAGE"] ?? "sprocket-local/busybox:latest"
    static let otherImage = "sprocket-local/web:2"

    /// A registry, stopped afterwards whether `body` succeeds or throws.
    static func withRegistry(_ body: (RegistryTestServer) async throws -> Void) async throws {
        try await DockerTestImages.ensureBusybox()
        let registry = try await RegistryTestServer.start()
        do {
            try await body(registry)
        } catch {
            Issue.record("registry log:\n\(registry.logTail())")
            registry.stop()
            throw error
        }
        registry.stop()
    }

    @Test("anonymous: the digest docker push reported; a moved tag gives the new digest; an unknown tag names the URL (registry)")
    func anonymous() async throws {
        try await Self.withRegistry { registry in
            let pushed = try await registry.push(Self.image, as: "team/app", tag: "1")
            let resolver = RegistryDigestResolver(certificatesDirectory: nil)
            let reference = try #require(ImageReference("\(registry.host)/team/app:1"))
            #expect(try await resolver.digest(of: reference) == pushed)

            let moved = try await registry.push(Self.otherImage, as: "team/app", tag: "1")
            #expect(moved != pushed)
            #expect(try await resolver.digest(of: reference) == moved)

            let unknown = try #require(ImageReference("\(registry.host)/team/app:9"))
            let error = await #expect(throws: SprocketError.self) { try await resolver.digest(of: unknown) }
            #expect(error?.code == .registry && error?.description.contains("http://\(registry.host)/v2/team/app/manifests/9") == true
                    && error?.description.contains("no such image or tag") == true, "\(String(describing: error))")
        }
    }

    @Test("Basic authentication over TLS with the registry's CA; a wrong password and no credentials are refused by name, the password never shown (registry)")
    func basicOverTLS() async throws {
        try await Self.withRegistry { registry in
            let pushed = try await registry.push(Self.image, as: "team/private", tag: "v1")
            let password = "canary-registry-\(UUID().uuidString.prefix(8))"
            try await registry.secure(user: "robot", password: password)
            let reference = try #require(ImageReference("\(registry.host)/team/private:v1"))
            let login = try TemporaryDirectory(prefix: "registry-login")
            defer { login.remove() }

            func resolver(password: String?) throws -> RegistryDigestResolver {
                if let password {
                    let auth = Data("robot:\(password)".utf8).base64EncodedString()
                    try login.write("config.json", #"{"auths": {"\#(registry.host)": {"auth": "\#(auth)"}}}"#)
                } else {
                    try? FileManager.default.removeItem(atPath: "\(login.path)/config.json")
                }
                return RegistryDigestResolver(credentials: RegistryCredentialStore(environment: ["DOCKER_CONFIG": login.path]),
                                              certificatesDirectory: registry.certificatesDirectory)
            }

            #expect(try await resolver(password: password).digest(of: reference) == pushed, "the same storage, now behind TLS and a password")

            let wrong = await #expect(throws: SprocketError.self) { try await resolver(password: "not-the-password").digest(of: reference) }
            #expect(wrong?.description.contains("user robot (from \(login.path)/config.json)") == true, "\(String(describing: wrong))")
            #expect(wrong?.description.contains("https://\(registry.host)/v2/team/private/manifests/v1") == true)
            #expect(wrong?.description.contains("not-the-password") == false)

            let anonymous = await #expect(throws: SprocketError.self) { try await resolver(password: nil).digest(of: reference) }
            #expect(anonymous?.description.contains("user name and password") == true
                    && anonymous?.description.contains("docker login \(registry.host)") == true, "\(String(describing: anonymous))")

            let untrusted = await #expect(throws: SprocketError.self) {
                try await RegistryDigestResolver(credentials: RegistryCredentialStore(override: "robot:\(password)"),
                                                 certificatesDirectory: nil).digest(of: reference)
            }
            #expect(untrusted?.code == .registry, "plain HTTP to a TLS registry fails: \(String(describing: untrusted))")
            for error in [wrong, anonymous, untrusted] { #expect(error?.description.contains(password) == false) }
        }
    }

    @Test("a registry that does not run: 'cannot be reached', naming the URL (registry)")
    func unreachable() async throws {
        let port = try FreePort.loopbackTCP()
        let reference = try #require(ImageReference("127.0.0.1:\(port)/team/app:1"))
        let error = await #expect(throws: SprocketError.self) {
            try await RegistryDigestResolver(certificatesDirectory: nil, timeout: .seconds(5)).digest(of: reference)
        }
        #expect(error?.code == .registry && error?.description.contains("cannot be reached") == true
                && error?.description.contains("127.0.0.1:\(port)/v2/team/app/manifests/1") == true, "\(String(describing: error))")
    }
}
