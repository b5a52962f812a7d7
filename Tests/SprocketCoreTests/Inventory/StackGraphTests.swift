import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

@Suite("stack graph: builder, DOT and Mermaid")
struct StackGraphTests {
    @Test("layers in deploy order, services in their layer, networks, volumes and bind mounts joined to services")
    func topology() throws {
        let graph = StackGraphBuilder(stack: try InventoryFixtureLoading.load()).build()
        #expect(graph.layers == ["edge", "app"])
        let byID = Dictionary(uniqueKeysWithValues: graph.nodes.map { ($0.id, $0) })
        #expect(byID["service:api"]?.layer == "app" && byID["service:traefik"]?.layer == "edge")
        #expect(byID["network:ingress"]?.layer == "edge")
        let edges = Set(graph.edges.map { "\($0.from) -> \($0.to)" })
        #expect(edges.isSuperset(of: [
            "layer:edge -> layer:app", "service:api -> network:ingress", "volume:traefik-data -> service:traefik",
            "volume:bind:/srv/inv/traefik-logs -> service:traefik",
        ]))
    }

    @Test("routes per profile point at their service, with the URL the user types")
    func routes() throws {
        let prod = StackGraphBuilder(stack: try InventoryFixtureLoading.load(environment: "prod")).build()
        let prodRoutes = prod.edges.filter { $0.kind == .route }.map { "\($0.from) -> \($0.to)" }
        #expect(prodRoutes.contains("route:public https://api.example.test/graphql -> service:api"))
        #expect(prodRoutes.contains("route:public https://vault.example.test/ -> service:vault"))
        let local = StackGraphBuilder(stack: try InventoryFixtureLoading.load(environment: "local")).build()
        let localRoutes = local.edges.filter { $0.kind == .route }.map(\.from)
        #expect(localRoutes.contains("route:localhost http://api.localhost/graphql"))
        #expect(!localRoutes.contains { $0.contains("public") })
    }

    @Test("secret flows: source -> secret -> consumer, Vault token -> secret, secret -> PostgreSQL role and S3 bucket")
    func secretFlows() throws {
        let graph = StackGraphBuilder(stack: try InventoryFixtureLoading.load()).build()
        let flows = Set(graph.edges.filter { $0.kind == .secret }.map { "\($0.from) -> \($0.to)" })
        #expect(flows.isSuperset(of: [
            "secretSource:env:PG_ADMIN -> secret:pg-admin", "secretSource:generated:pg-app -> secret:pg-app",
            "secret:pg-app -> service:api", "secret:pg-app -> postgresRole:app_user", "secret:pg-admin -> postgresRole:doadmin",
            "vaultToken:platform -> secret:vault-token-platform", "secret:vault-token-platform -> service:api",
            "secret:s3-id -> s3Bucket:inv-replays", "s3Bucket:inv-replays -> service:api",
        ]), "\(flows.sorted())")
        let token = try #require(graph.nodes.first { $0.id == "vaultToken:platform" })
        #expect(token.label.contains("platform-read"))
    }

    @Test("the DOT is well formed: balanced blocks, every statement ended, every edge between declared nodes")
    func dotStructure() throws {
        let graph = StackGraphBuilder(stack: try InventoryFixtureLoading.load()).build()
        let dot = StackGraphDOTRenderer().render(graph)
        let structure = DOTStructure(dot)
        #expect(structure.problems.isEmpty, "\(structure.problems)\n\(dot)")
        #expect(structure.clusters == ["cluster_0_edge", "cluster_1_app"])
        #expect(structure.nodes == Set(graph.nodes.map(\.id)))
        #expect(structure.edges.count == graph.edges.count)
    }

    @Test("the DOT checker itself rejects broken DOT", arguments: [
        "digraph \"g\" {\n  \"a\" [label=\"a\"];\n",
        "digraph \"g\" {\n  \"a\" [label=\"a\"]\n}\n",
        "digraph \"g\" {\n  \"a\" [label=\"a\"];\n  \"a\" -> \"b\" [style=solid];\n}\n",
    ])
    func checkerRejects(dot: String) {
        #expect(!DOTStructure(dot).problems.isEmpty)
    }

    @Test("DOT quoting keeps quotes, backslashes and newlines inside the string")
    func dotQuoting() {
        let graph = StackGraph(
            title: "a\"b", layers: ["l"],
            nodes: [.init(id: "service:x\"y\\z", label: "line1\nline2 \"q\"", kind: .service, layer: "l")],
            edges: [.init(from: "service:x\"y\\z", to: "service:x\"y\\z", kind: .network, label: "e\"")])
        let structure = DOTStructure(StackGraphDOTRenderer().render(graph))
        #expect(structure.problems.isEmpty, "\(structure.problems)")
        #expect(structure.nodes == ["service:x\"y\\z"])
    }

    @Test("Mermaid: a flowchart, one subgraph per layer, ids only [A-Za-z0-9_], unique, and labels quoted")
    func mermaid() throws {
        let graph = StackGraphBuilder(stack: try InventoryFixtureLoading.load()).build()
        let text = StackGraphMermaidRenderer().render(graph)
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.first == "flowchart LR")
        #expect(lines.filter { $0.hasPrefix("subgraph ") }.count == 2)
        #expect(lines.filter { $0 == "end" }.count == 2)
        let edgeLines = lines.filter { $0.contains("-->") || $0.contains("-.->") || $0.contains("---") }
        #expect(edgeLines.count == graph.edges.count)
        for line in edgeLines {
            let parts = line.split(separator: " ")
            let from = String(parts[0]), to = String(parts[parts.count - 1])
            #expect(from.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }, "\(line)")
            #expect(to.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }, "\(line)")
        }
        // Labels never carry a raw quote inside the quoted string.
        #expect(!text.contains("\"\"\""))
    }

    @Test("two ids that sanitise alike still get distinct Mermaid ids")
    func mermaidCollisions() {
        let ids = StackGraphMermaidRenderer.identifiers(for: ["service:a-b", "service:a.b", "service:a_b"])
        #expect(Set(ids.values).count == 3)
        #expect(ids.values.allSatisfy { $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") } })
    }

    @Test("the same spec renders the same bytes, whatever the order of declarations")
    func deterministic() throws {
        let stack = try InventoryFixtureLoading.load()
        var shuffled = stack
        shuffled.layers = stack.layers.map { layer in
            var layer = layer
            layer.services.reverse()
            layer.secrets.reverse()
            return layer
        }
        let first = StackGraphDOTRenderer().render(StackGraphBuilder(stack: stack).build())
        #expect(first == StackGraphDOTRenderer().render(StackGraphBuilder(stack: shuffled).build()))
        #expect(StackGraphMermaidRenderer().render(StackGraphBuilder(stack: stack).build())
                == StackGraphMermaidRenderer().render(StackGraphBuilder(stack: shuffled).build()))
    }

    @Test("Graphviz accepts the DOT when it is installed")
    func graphvizAccepts() throws {
        guard let dot = ["/usr/bin/dot", "/usr/local/bin/dot"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            // Structure is checked above; without Graphviz there is nothing more to run.
            return
        }
        let folder = try TemporaryDirectory(prefix: "graph-dot")
        defer { folder.remove() }
        try folder.write("g.dot", StackGraphDOTRenderer().render(StackGraphBuilder(stack: try InventoryFixtureLoading.load()).build()))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: dot)
        process.arguments = ["-Tsvg", "-o", "\(folder.path)/g.svg", "\(folder.path)/g.dot"]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let svg = String(decoding: FileManager.default.contents(atPath: "\(folder.path)/g.svg") ?? Data(), as: UTF8.self)
        #expect(svg.contains("<svg") && svg.contains("api"))
    }
}
