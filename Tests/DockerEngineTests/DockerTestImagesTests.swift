import Foundation
import Testing

@testable import SprocketTestSupport

@Suite("Offline test images")
struct DockerTestImagesTests {
    @Test("the host busybox is static; a dynamically linked binary is recognised as such")
    func staticBinaryDetection() throws {
        let busybox = try DockerTestImages.staticBusyboxPath()
        #expect(try DockerTestImages.isStaticELF(busybox))
        #expect(try !DockerTestImages.isStaticELF("/bin/sh") || !FileManager.default.fileExists(atPath: "/bin/sh"))
    }

    @Test("builds a runnable busybox image from scratch with the classic builder")
    func buildsBusybox() async throws {
        // A throwaway tag, so the shared sprocket-local/busybox image other tests use is never untagged.
        let tag = "sprocket-local/busybox-buildcheck:\(UUID().uuidString.prefix(8).lowercased())"
        try await DockerTestImages.buildBusybox(tag: tag)
        do {
            #expect(try await DockerTestImages.imageExists(tag))
            let run = try await DockerTestImages.docker([
                "run", "--rm", "--network", "none", tag, "sh", "-c", "echo ok",
            ])
            #expect(run.succeeded)
            #expect(run.text.contains("ok"))
        } catch {
            _ = try? await DockerTestImages.docker(["image", "rm", tag])
            throw error
        }
        _ = try await DockerTestImages.docker(["image", "rm", tag])
        #expect(try await !DockerTestImages.imageExists(tag))
    }

    @Test("ensureBusybox leaves the shared image in place")
    func ensureBusybox() async throws {
        try await DockerTestImages.ensureBusybox()
        #expect(try await DockerTestImages.imageExists(DockerTestImages.busybox))
    }
}
