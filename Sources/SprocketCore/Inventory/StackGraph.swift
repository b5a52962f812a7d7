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
    }

    public struct Node: Sendable, Hashable {
        /// Unique within the graph, `<kind>:<name>`; renderers sanitise it for their syntax.
        public var id: String
        public var label: String
        public var kind: NodeKind
        /// The layer whose cluster draws the node; nil outside every layer.
        public var layer: String?

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
    /// Layer names in deploy order (each a cluster).
    public var layers: [String]
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

    /// The nodes drawn inside `layer`'s cluster (nil: outside every cluster).
    public func nodes(in layer: String?) -> [Node] {
        nodes.filter { $0.layer == layer }
    }
}
