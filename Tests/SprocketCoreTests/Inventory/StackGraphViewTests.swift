import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

/// The views of `graph --view`: each draws one question of the full graph, loses none of the facts that question
/// needs, and stays well formed DOT. Checked on the inventory fixture and on the Sprocket platform's own spec.
@Suite("stack graph views: overview, secrets, routes")
struct StackGraphViewTests {
    static var sprocketFolder: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("stacks/sprocket").path
    }

    static func sprocket(_ environment: String = "prod") throws -> StackSpec {
        try SpecLoader(processEnvironment: [:]).load(path: sprocketFolder, environment: environment)
    }

    @Test("overview: top-down, one cluster per layer in deploy order, every service once in its layer with image, replicas and URLs, nothing else drawn")
    func overview() throws {
        let stack = try Self.sprocket()
        let graph = StackGraphBuilder(stack: stack).build(.overview)
        #expect(graph.direction == .topDown)
        #expect(graph.layers == ["edge", "data", "platform"])
        let drawn = graph.nodes.filter { !$0.isAnchor }
        #expect(drawn.allSatisfy { $0.kind == .service }, "only services are boxes: \(drawn.filter { $0.kind != .service }.map(\.id))")
        for layer in stack.layers {
            for service in layer.services {
                let node = try #require(drawn.first { $0.id == "service:\(service.name)" }, "\(service.name) is missing")
                #expect(node.layer == layer.name)
                #expect(node.label.hasPrefix(service.name + " ") && node.label.contains(service.image), "\(node.label)")
            }
        }
        #expect(drawn.count == stack.layers.map(\.services.count).reduce(0, +))
        let core = try #require(drawn.first { $0.id == "service:core" })
        #expect(core.label.contains("public https://api.sprocket.mlesports.gg/"), "\(core.label)")
        #expect(graph.clusterTitle("data", index: 1).hasPrefix("layer 2: data · networks "))
        #expect(graph.edges.filter { $0.kind == .needs }.map { "\($0.from) -> \($0.to)" }.sorted() == ["layer:data -> layer:platform", "layer:edge -> layer:data"])
    }

    @Test("overview: services in rows of at most four: each row's services hang under the row above")
    func overviewRows() throws {
        let graph = StackGraphBuilder(stack: try Self.sprocket()).build(.overview)
        let platform = graph.nodes.filter { $0.layer == "platform" && !$0.isAnchor }.map(\.id)
        let layout = graph.edges.filter { $0.kind == .layout }
        let underAnchor = layout.filter { $0.from == "layer:platform" }.map(\.to)
        #expect(underAnchor.count == StackGraphBuilder.overviewColumns, "the first row: \(underAnchor)")
        for service in platform {
            let above = layout.filter { $0.to == service }
            #expect(above.count == 1, "\(service) hangs under exactly one node: \(above)")
            let parent = try #require(above.first?.from)
            #expect(parent == "layer:platform" || layout.filter { $0.from == parent }.count == 1, "\(parent) holds one node below it")
        }
        // The data layer starts below the platform-less rows of edge: an edge's last row head leads to the next anchor.
        #expect(layout.contains { $0.to == "layer:data" } && layout.contains { $0.to == "layer:platform" })
    }

    @Test("secrets: every Docker secret drawn once with its source chain, in its source's cluster, with every consumer the full graph has")
    func secrets() throws {
        let stack = try Self.sprocket()
        let builder = StackGraphBuilder(stack: stack)
        let full = builder.build()
        let view = builder.build(.secrets)
        #expect(!view.nodes.contains { [.route, .network, .volume, .layer].contains($0.kind) })
        let secretNodes = view.nodes.filter { $0.kind == .secret }
        let members = secretNodes.flatMap { $0.id.split(separator: "+").map(String.init) }
        #expect(members.count == Set(members).count, "no secret drawn twice: \(members)")
        let consumedInFull = Set(full.edges.filter { $0.kind == .secret && $0.from.hasPrefix("secret:") }.map(\.from))
        #expect(Set(members) == consumedInFull)
        // Each secret's consumers survive the merge.
        for node in secretNodes {
            let drawn = Set(view.edges.filter { $0.from == node.id }.map(\.to))
            for member in node.id.split(separator: "+").map(String.init) {
                #expect(Set(full.edges.filter { $0.from == member && $0.kind == .secret }.map(\.to)) == drawn, "\(member)")
            }
        }
        let discord = try #require(secretNodes.first { $0.id.split(separator: "+").contains("secret:discord-bot-token") })
        #expect(discord.layer == "from-doppler")
        #expect(discord.label.contains("← vault platform/main/discord#bot_token") && discord.label.contains("← doppler sprocket/prd DISCORD_BOT_TOKEN"), "\(discord.label)")
        #expect(secretNodes.first { $0.id.contains("secret:redis-password") }?.layer == "generated")
        #expect(secretNodes.first { $0.id.contains("secret:vault-token-platform") }?.layer == "vault-tokens")
        #expect(view.nodes.first { $0.id == "s3Bucket:sprocket-replays-main-1" }?.label.contains("used by replay-parse-service, submission-service") == true)
        #expect(!view.edges.contains { $0.from.hasPrefix("s3Bucket:") }, "a bucket's users are in its label, not edges")
    }

    @Test("secrets: one box for secrets of one kind of source and the same consumers, never across kinds")
    func secretsMerged() throws {
        let view = StackGraphBuilder(stack: try Self.sprocket()).build(.secrets)
        let oauth = try #require(view.nodes.first { $0.id.contains("secret:discord-client-id") })
        #expect(oauth.id.contains("secret:google-client-secret") && oauth.id.contains("secret:steam-api-key"), "\(oauth.id)")
        #expect(!oauth.id.contains("secret:jwt-secret"), "jwt-secret is generated, not from Doppler")
        #expect(view.edges.filter { $0.from == oauth.id }.map(\.to) == ["service:core"])
        let keys = try #require(view.nodes.first { $0.id.contains("secret:s3-access") })
        #expect(keys.id == "secret:s3-access+secret:s3-secret")
    }

    @Test("routes: a cluster per access profile, each URL once, pointing at its service with the target and middlewares")
    func routes() throws {
        let local = try InventoryFixtureLoading.load(environment: "local")
        let view = StackGraphBuilder(stack: local).build(.routes)
        let entries = RouteEntry.entries(of: local)
        #expect(view.layers == ["localhost"])
        for entry in entries {
            for url in entry.urls {
                let id = "route:\(entry.profile.rawValue) \(url)"
                #expect(view.nodes.first { $0.id == id }?.layer == entry.profile.rawValue, "\(url)")
                let edge = try #require(view.edges.first { $0.from == id })
                #expect(edge.to == "service:\(entry.service)" && edge.label?.hasPrefix(entry.target) == true)
            }
        }
        let prod = StackGraphBuilder(stack: try Self.sprocket()).build(.routes)
        #expect(prod.edges.contains { $0.from == "route:public https://dgraph.sprocket.mlesports.gg/" && $0.label?.contains("forwardauth") == true })
    }

    @Test("every view renders well formed DOT and Mermaid, and the same bytes whatever the order of declarations", arguments: StackGraphView.allCases)
    func wellFormed(view: StackGraphView) throws {
        let stack = try Self.sprocket()
        let graph = StackGraphBuilder(stack: stack).build(view)
        let dot = StackGraphDOTRenderer().render(graph)
        let structure = DOTStructure(dot)
        #expect(structure.problems.isEmpty, "\(structure.problems)")
        #expect(structure.nodes == Set(graph.nodes.map(\.id)))
        #expect(StackGraphMermaidRenderer().render(graph).hasPrefix("flowchart \(graph.direction.rawValue)\n"))
        var shuffled = stack
        shuffled.layers = stack.layers.reversed().map { layer in
            var layer = layer
            layer.services.reverse()
            layer.secrets.reverse()
            return layer
        }
        #expect(StackGraphDOTRenderer().render(StackGraphBuilder(stack: shuffled).build(view)) == dot)
    }

    @Test("Graphviz lays out every view of the platform's spec", arguments: StackGraphView.allCases)
    func graphvizLaysOut(view: StackGraphView) throws {
        // scripts/test installs Graphviz (SPROCKET_TEST_DOT): without it this test fails rather than passing unseen.
        let dot = try #require(ProcessInfo.processInfo.environment["SPROCKET_TEST_DOT"].flatMap { $0.isEmpty ? nil : $0 },
                               "SPROCKET_TEST_DOT is not set: run the tests through scripts/test, which installs graphviz")
        let folder = try TemporaryDirectory(prefix: "graph-view")
        defer { folder.remove() }
        try folder.write("g.dot", StackGraphDOTRenderer().render(StackGraphBuilder(stack: try Self.sprocket()).build(view)))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: dot)
        process.arguments = ["-Tsvg", "-o", "\(folder.path)/g.svg", "\(folder.path)/g.dot"]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let warnings = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0 && warnings.isEmpty, "dot: \(warnings)")
    }

    @Test("the pictures in docs/graphs are what the spec draws now (else: run scripts/render-graphs)", arguments: [
        ("overview", "prod", StackGraphView.overview), ("secrets", "prod", .secrets), ("routes", "prod", .routes), ("routes-local", "local", .routes),
    ])
    func committedPictures(name: String, environment: String, view: StackGraphView) throws {
        let path = URL(fileURLWithPath: Self.sprocketFolder).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/graphs/\(name).dot").path
        let committed = try #require(FileManager.default.contents(atPath: path), "\(path) is missing: run scripts/render-graphs")
        let drawn = StackGraphDOTRenderer().render(StackGraphBuilder(stack: try Self.sprocket(environment)).build(view))
        #expect(String(decoding: committed, as: UTF8.self) == drawn, "\(path) is stale: run scripts/render-graphs and commit docs/graphs")
    }
}
