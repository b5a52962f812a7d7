/// The stack as a graph: layers as clusters, and services, networks, routes, secret flows and volumes as nodes.
///
/// A neutral model built by ``StackGraphBuilder`` and drawn by ``StackGraphDOTRenderer`` and
/// ``StackGraphMermaidRenderer``; every list is sorted, so the same spec always draws the same picture.
public struct StackGraph: Sendable, Hashable {
    public enum NodeKind: String, Sendable, Hashable, CaseIterable {
        case layer
        case service
        case network
        case volume
        case route
        /// Where a secret's value comes from (an environment variable, a file, generated, external, a Vault token).
        case secretSource
        /// A Vault KV v2 field a manifest secret passes through (`platform/prod/jwt#value`).
        case vaultPath
        case secret
        case vaultToken
        case postgresRole
        case s3Bucket
    }

    public enum EdgeKind: String, Sendable, Hashable {
        /// Layer `needs` layer.
        case needs
        case network
        case volume
        case route
        /// A step of a secret's flow: source to Vault to secret, secret to consumer, secret to role or bucket.
        case secret
        /// Not drawn: places nodes (rows of services in the overview, the order of layers).
        case layout
    }

    /// Which way the drawing runs: deploy order top-down (the overview) or a flow left to right.
    public enum Direction: String, Sendable, Hashable {
        case topDown = "TB"
        case leftToRight = "LR"
    }

    public struct Node: Sendable, Hashable {
        /// Unique within the graph, `<kind>:<name>`; renderers sanitise it for their syntax.
        public var id: String
        public var label: String
        public var kind: NodeKind
        /// The layer whose cluster draws the node; nil outside every layer.
        public var layer: String?
        /// Not drawn: holds a cluster's place and the ends of the edges between clusters.
        public var isAnchor = false

        public init(id: String, label: String, kind: NodeKind, layer: String?) {
            self.id = id
            self.label = label
            self.kind = kind
            self.layer = layer
        }
    }

    public struct Edge: Sendable, Hashable {
        public var from: String
        public var to: String
        public var kind: EdgeKind
        public var label: String?

        public init(from: String, to: String, kind: EdgeKind, label: String? = nil) {
            self.from = from
            self.to = to
            self.kind = kind
            self.label = label
        }
    }

    public var title: String
    /// The clusters, in order, by the name nodes give as their ``Node/layer``: layer names in deploy order (the
    /// overview and the full graph), access profiles (routes), the steps of a secret's flow (secrets).
    public var layers: [String]
    /// Each cluster's title; a cluster without one is titled `layer <n>: <name>`.
    public var clusterTitles: [String: String] = [:]
    public var direction: Direction = .leftToRight
    /// Whether edges that share a path are drawn as one (Graphviz `concentrate`): the secret flow's fan-outs.
    public var concentratesEdges = false
    /// Space between nodes of one rank, in inches (Graphviz `nodesep`); nil: Graphviz's default (0.25).
    public var nodeSeparation: Double?
    /// Sorted by id.
    public var nodes: [Node]
    /// Sorted by (from, to, kind, label).
    public var edges: [Edge]

    public init(title: String, layers: [String], nodes: [Node], edges: [Edge]) {
        self.title = title
        self.layers = layers
        self.nodes = nodes.sorted { $0.id < $1.id }
        self.edges = edges.sorted { ($0.from, $0.to, $0.kind.rawValue, $0.label ?? "") < ($1.from, $1.to, $1.kind.rawValue, $1.label ?? "") }
    }

    /// The title drawn on the cluster of `layer`, the `index`-th.
    public func clusterTitle(_ layer: String, index: Int) -> String {
        clusterTitles[layer] ?? "layer \(index + 1): \(layer)"
    }

    /// The nodes drawn inside `layer`'s cluster (nil: outside every cluster).
    public func nodes(in layer: String?) -> [Node] {
        nodes.filter { $0.layer == layer }
    }
}
