import Foundation
import Testing
@testable import SprocketCore

/// The examples shipped in `examples/` must always load: they are what a newcomer tries first.
@Suite("Example specs")
struct ExampleSpecTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test("the quickstart stack loads for each of its environments", arguments: ["local", "staging", "prod"])
    func quickstart(environment: String) throws {
        let stack = try SpecLoader(processEnvironment: [:]).load(path: Self.repositoryRoot + "/examples/quickstart", environment: environment)
        #expect(stack.name == "quickstart")
        #expect(stack.layers.map(\.name) == ["edge", "data", "app"])
        #expect(stack.warnings.isEmpty)
    }

    @Test("the Compose example loads as one layer named after its folder")
    func compose() throws {
        let stack = try SpecLoader(processEnvironment: [:]).load(
            path: Self.repositoryRoot + "/examples/compose/docker-compose.yml", environment: "a")
        #expect(stack.name == "compose")
        #expect(stack.kind == .compose)
        #expect(stack.layers.map(\.name) == ["main"])
        #expect(stack.service("web")?.ports.first?.published == 8090)
    }
}
