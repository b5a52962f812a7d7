import SprocketCore
import SprocketTestSupport
import Testing

@Suite("Image references and images.lock")
struct ImageLockTests {
    @Test("references split into registry, repository, tag and digest, Docker Hub normalised", arguments: [
        ("traefik:v3.6", "registry-1.docker.io", "library/traefik", "v3.6" as String?, nil as String?),
        ("asaxplayinghorse/core:main", "registry-1.docker.io", "asaxplayinghorse/core", "main", nil),
        ("ghcr.io/org/app", "ghcr.io", "org/app", "latest", nil),
        ("127.0.0.1:5000/team/app:1", "127.0.0.1:5000", "team/app", "1", nil),
        ("localhost/app@sha256:abc", "localhost", "app", nil, "sha256:abc"),
    ])
    func parses(text: String, registry: String, repository: String, tag: String?, digest: String?) throws {
        let reference = try #require(ImageReference(text))
        #expect(reference.registry == registry && reference.repository == repository && reference.tag == tag && reference.digest == digest)
        #expect(ImageReference(reference.description) == reference)
    }

    @Test("a lock pins what it knows and names what it does not; digests in the spec stay")
    func applies() throws {
        let spec = try TemporarySpec([
            "s/stack.yaml": "stack: s\nlayers: [app]\n",
            "s/app.yaml": "services:\n  a: {image: example/a:1}\n  b: {image: example/b:1}\n  c: {image: \"example/c@sha256:cc\"}\n",
        ])
        defer { spec.remove() }
        let (stack, unlocked) = ImageLock(images: ["example/a:1": "sha256:aa"]).apply(to: try spec.load("s", environment: nil))
        #expect(stack.layers[0].services.map(\.image) == ["example/a:1@sha256:aa", "example/b:1", "example/c@sha256:cc"])
        #expect(unlocked == ["example/b:1"])
    }
}
