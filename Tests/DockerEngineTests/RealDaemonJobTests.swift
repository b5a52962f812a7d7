import DockerEngine
import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

/// ``SwarmOneShotJob`` and ``ExecutableImage`` against the real daemon, with system binaries packaged as images.
@Suite("one-shot Swarm jobs against the real daemon")
struct RealDaemonJobTests {
    /// What is left of a job purpose on the swarm: services, secrets, configs, and task containers on this node
    /// (Swarm keeps a finished job's container after its service is removed).
    func leftovers(_ docker: DockerClient, purpose: String) async throws -> Int {
        let filters = DockerFilters.label(SwarmOneShotJob.jobLabel, purpose)
        let containers = try await docker.listContainers(filters: DockerFilters(["label": ["\(SwarmOneShotJob.jobLabel)=\(purpose)"]]))
        return try await docker.listServices(filters: filters).count + docker.listSecrets(filters: filters).count
            + docker.listConfigs(filters: filters).count + containers.count
    }

    @Test("a packaged executable runs as a job with its secret and config files; a new build replaces the old image; failures and timeouts clean up")
    func jobLifecycle() async throws {
        try await withDocker { docker, cleanup in
            let repository = uniqueName("runner")
            cleanup.push {
                for image in (try? await docker.listImages(reference: repository)) ?? [] {
                    for tag in image.repoTags ?? [] { try? await docker.removeImage(tag) }
                }
            }
            let node = try #require(try await docker.info().swarm?.nodeID)
            let purpose = uniqueName("job")

            // Four "builds": the oldest goes once a fourth is imported, the three newest stay.
            var references: [String] = []
            for executable in ["/bin/false", "/bin/true", "/bin/echo", "/bin/cat"] {
                references.append(try await ExecutableImage(executable: executable, repository: repository).ensure(on: docker))
                try await Task.sleep(for: .seconds(1.1))   // image creation times are in whole seconds
            }
            let cat = try #require(references.last)
            #expect(Set(references).count == 4)
            #expect(try await ExecutableImage(executable: "/bin/cat", repository: repository).ensure(on: docker) == cat, "the same binary, the same image")
            let tags = Set(try await docker.listImages(reference: repository).flatMap { $0.repoTags ?? [] })
            #expect(tags == Set(references.dropFirst()), "the oldest build's image was removed, the \(ExecutableImage.buildsKept) newest kept: \(tags)")

            let files = [
                SwarmOneShotJob.File(target: "/run/secrets/token", content: Array("secret-line\n".utf8), isSecret: true),
                SwarmOneShotJob.File(target: "/run/job/request.json", content: Array("{\"ask\":1}\n".utf8), isSecret: false),
            ]
            func job(_ arguments: [String], image: String? = nil, timeout: Duration = .seconds(120)) -> SwarmOneShotJob {
                SwarmOneShotJob(
                    purpose: purpose, image: image ?? cat, command: [ExecutableImage.executablePath] + arguments, files: files,
                    constraints: ["node.id == \(node)"], timeout: timeout)
            }
            let outcome = try await job(["/run/secrets/token", "/run/job/request.json"]).run(on: docker)
            #expect(outcome.state == "complete" && outcome.exitCode == 0, "\(outcome)")
            #expect(outcome.output.map(\.text) == ["secret-line", "{\"ask\":1}"], "\(outcome.output)")
            #expect(try await leftovers(docker, purpose: purpose) == 0)

            let failed = try await job(["/no/such/file"]).run(on: docker)
            #expect(failed.state == "failed" && failed.exitCode == 1, "\(failed)")
            #expect(try await leftovers(docker, purpose: purpose) == 0)

            let rejected = try await job([], image: "\(repository)-absent:1").run(on: docker)
            #expect(rejected.state == "rejected" && rejected.exitCode == nil && rejected.error?.contains("No such image") == true, "\(rejected)")

            let sleepRepository = repository + "-sleep"
            cleanup.push {
                for image in (try? await docker.listImages(reference: sleepRepository)) ?? [] {
                    for tag in image.repoTags ?? [] { try? await docker.removeImage(tag) }
                }
            }
            let sleep = try await ExecutableImage(executable: "/bin/sleep", repository: sleepRepository).ensure(on: docker)
            let error = await #expect(throws: SprocketError.self) { try await job(["600"], image: sleep, timeout: .seconds(8)).run(on: docker) }
            #expect(error?.message.contains("did not finish within") == true, "\(String(describing: error))")
            #expect(try await leftovers(docker, purpose: purpose) == 0, "a timed-out job is removed too")
        }
    }
}
