import DockerEngine
import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

@Suite("The NDJSON event stream of a deploy", .tags(.integration))
struct EventStreamTests {
    @Test("every line of up --json parses, and the stream holds every change and the summary")
    func everyLineParses() async throws {
        try await SwarmTestStack.with(prefix: "ndjson") { stack in
            try TwoLayerSpec.write(to: stack, bluePort: 18_195, greenPort: 18_196)
            let environment = [
                "IT_TOKEN": "canary-ndjson-value", "SPROCKET_KEY_FILE": stack.keyFile,
                "SPROCKET_STATE_DIR": "\(stack.stateFolder.path)/\(stack.stackName)/blue",
            ]
            let plan = try await stack.plan(environment: "blue", processEnvironment: environment)
            let run = try await CLIBinary.runDetached(["up", "-f", stack.folder.path, "--env", "blue", "--yes", "--json"], environment: environment)
            #expect(run.status == 0, "\(run.stderr)")
            let lines = run.stdout.split(separator: "\n").map(String.init)
            #expect(!lines.isEmpty)
            var records: [[String: Any]] = []
            for line in lines {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                #expect(object != nil, "not a JSON object: \(line)")
                if let object { records.append(object) }
            }
            let succeeded = Set(records.filter { $0["event"] as? String == "change-succeeded" }.compactMap { $0["resource"] as? String })
            #expect(succeeded == Set(plan.allChanges.map(\.resource.description)))
            #expect(Set(records.compactMap { $0["event"] as? String }).isSuperset(of: ["layer-started", "service-progress", "layer-succeeded", "summary"]))
            // Every gate check of every layer (the implicit replicas and no-restart-loop ones: 2 per service).
            let checks = records.filter { $0["event"] as? String == "check-passed" }.compactMap { $0["resource"] as? String }
            #expect(checks.count == 2 * 3, "\(checks)")
            #expect(checks.contains { $0.hasPrefix("api: replicas") })
            let summary = try #require(records.last)
            #expect(summary["event"] as? String == "summary")
            #expect(summary["outcome"] as? String == "succeeded")
            #expect((summary["changes"] as? Int) == plan.allChanges.count)
            #expect(!run.stdout.contains("canary-ndjson-value") && !run.stderr.contains("canary-ndjson-value"), "no secret value in the output")
        }
    }
}
