import DockerEngine
import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

@Suite("Restoring an earlier run", .tags(.integration))
struct RollbackTests {
    @Test("rollback --to an earlier run restores that run's service specs")
    func rollbackToEarlierRun() async throws {
        try await SwarmTestStack.with(prefix: "rbto") { stack in
            try TwoLayerSpec.write(to: stack, bluePort: 18_193, greenPort: 18_194)
            let environment = ["IT_TOKEN": "token"]
            let first = try await stack.up(environment: "blue", processEnvironment: environment)
            let firstRun = try #require(first.runID)
            try await stack.up(environment: "blue", processEnvironment: environment.merging(["SPROCKET_API_IMAGE": "sprocket-local/web:2"]) { $1 })
            func apiImage() async throws -> String? {
                try await stack.services(environment: "blue").first { ($0.spec?.name ?? "").hasSuffix("_api") }?
                    .spec?.taskTemplate?.containerSpec?.image
            }
            #expect(try await apiImage() == "sprocket-local/web:2")

            let identity = StackIdentity(stack: stack.stackName, environment: "blue")
            let result = try await stack.deployment(processEnvironment: environment).rollback(identity, to: firstRun, command: "rollback --to \(firstRun)")
            #expect(result.applied)
            #expect(result.plan.allChanges.map(\.resource) == [ResourceID(.service, "api")])
            #expect(try await apiImage() == "sprocket-local/web:1")
            #expect(await HTTPProbe.waitForAnswer(port: 18_193) != nil)
            // The spec as written (web:1 by default) matches the restored cluster again.
            #expect(!(try await stack.plan(environment: "blue", processEnvironment: environment)).hasChanges)
            let runs = try stack.deployment().store(for: identity).runs()
            #expect(runs.last?.command == "rollback --to \(firstRun)")
            #expect(runs.last?.outcome == .succeeded)

            let unknown = await #expect(throws: SprocketError.self) {
                _ = try await stack.deployment(processEnvironment: environment).rollback(identity, to: "no-such-run", command: "rollback")
            }
            #expect(String(describing: unknown).contains("no-such-run"))
        }
    }
}
