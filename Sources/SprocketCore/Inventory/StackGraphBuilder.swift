/// Builds the ``StackGraph`` of a loaded stack: what runs where, what reaches it, and where each secret comes from
/// and goes to. Never reads a secret's value, only names and sources.
public struct StackGraphBuilder: Sendable {
    public var stack: StackSpec

    public init(stack: StackSpec) {
        self.stack = stack
    }

    public func build() -> StackGraph {
        var nodes: [String: StackGraph.Node] = [:]
        var edges: Set<StackGraph.Edge> = []
        func add(_ kind: StackGraph.NodeKind, _ name: String, label: String? = nil, layer: String?) -> String {
            let id = Self.id(kind, name)
            if nodes[id] == nil { nodes[id] = StackGraph.Node(id: id, label: label ?? name, kind: kind, layer: layer) }
            return id
        }
        let order = LayerOrder.sorted(stack.layers.map { ($0.name, $0.needs.map(\.name)) })
        for layer in stack.layers {
            let layerID = add(.layer, layer.name, label: "layer \(layer.name)", layer: layer.name)
            for need in layer.needs { edges.insert(.init(from: Self.id(.layer, need.name), to: layerID, kind: .needs, label: "needs")) }
            for network in layer.networks { _ = add(.network, network.name, label: "network \(network.name)", layer: layer.name) }
            for volume in layer.volumes { _ = add(.volume, volume.name, label: "volume \(volume.name)", layer: layer.name) }
            for secret in layer.secrets {
                // The secret's own label names its source too, so a reader of one node knows where the value comes from.
                let manifestEntry = Self.manifestEntry(of: secret, in: stack)
                let sourceText = manifestEntry.map { SecretSourceText.manifest($0, in: stack) } ?? Self.source(of: secret, root: stack.rootDirectory).2
                let secretID = add(.secret, secret.name, label: "secret \(secret.name) ← \(sourceText)", layer: layer.name)
                if case .manifest(let name) = secret.source, let entry = manifestEntry {
                    // source -> Vault (written by `secrets sync`) -> Docker secret, or source -> Docker secret.
                    let source = sourceText
                    let sourceID = add(.secretSource, "manifest:\(name)", label: source, layer: nil)
                    if let vault = SecretSourceText.vault(entry, in: stack) {
                        let vaultID = add(.vaultPath, vault, label: "vault \(vault)", layer: nil)
                        edges.insert(.init(from: sourceID, to: vaultID, kind: .secret, label: "secrets sync"))
                        edges.insert(.init(from: vaultID, to: secretID, kind: .secret, label: "read back"))
                    } else {
                        edges.insert(.init(from: sourceID, to: secretID, kind: .secret, label: "secrets sync"))
                    }
                    continue
                }
                let (sourceKind, sourceName, sourceLabel) = Self.source(of: secret, root: stack.rootDirectory)
                let sourceID = add(sourceKind, sourceName, label: sourceLabel, layer: nil)
                edges.insert(.init(from: sourceID, to: secretID, kind: .secret))
            }
        }
        // Services after every layer's declarations: a service may take a secret or network that a later layer
        // declares, and the declaring layer's node (with its source) must win whatever the order of the files.
        for layer in stack.layers {
            for service in layer.services {
                let serviceID = add(.service, service.name, label: Self.serviceLabel(service), layer: layer.name)
                for network in service.networks {
                    edges.insert(.init(from: serviceID, to: add(.network, network.name, label: "network \(network.name)", layer: nil), kind: .network))
                }
                for mount in service.mounts {
                    switch mount.kind {
                    case .volume:
                        guard let source = mount.source else { continue }
                        edges.insert(.init(from: add(.volume, source, label: "volume \(source)", layer: nil), to: serviceID, kind: .volume, label: mount.target))
                    case .bind:
                        guard let source = mount.source else { continue }
                        edges.insert(.init(from: add(.volume, "bind:" + source, label: "host \(source)", layer: nil), to: serviceID, kind: .volume, label: mount.target))
                    case .tmpfs:
                        continue
                    }
                }
                for reference in service.secrets {
                    edges.insert(.init(from: add(.secret, reference.source, label: "secret \(reference.source)", layer: nil), to: serviceID, kind: .secret))
                }
            }
        }
        for entry in RouteEntry.entries(of: stack) {
            for url in entry.urls {
                let routeID = add(.route, "\(entry.profile.rawValue) \(url)", label: "\(entry.profile.rawValue): \(url)", layer: nil)
                edges.insert(.init(from: routeID, to: Self.id(.service, entry.service), kind: .route, label: entry.target))
            }
        }
        addVaultTokens(&nodes, &edges)
        addExternalResources(&nodes, &edges)
        return StackGraph(title: "\(stack.name)/\(stack.environment)", layers: order, nodes: Array(nodes.values), edges: Array(edges))
    }

    /// Vault tokens (with their policies) feed the secret `vault-token-<name>`.
    private func addVaultTokens(_ nodes: inout [String: StackGraph.Node], _ edges: inout Set<StackGraph.Edge>) {
        for token in stack.vault?.tokens ?? [] {
            let id = Self.id(.vaultToken, token.name)
            nodes[id] = StackGraph.Node(
                id: id, label: "vault token \(token.name) [\(token.policies.sorted().joined(separator: ", "))]", kind: .vaultToken, layer: nil)
            edges.insert(.init(from: id, to: Self.id(.secret, token.secretName), kind: .secret, label: "minted by up"))
        }
    }

    /// PostgreSQL roles take their passwords from stack secrets; S3 buckets their credentials, which go on to the
    /// bucket's consumers.
    private func addExternalResources(_ nodes: inout [String: StackGraph.Node], _ edges: inout Set<StackGraph.Edge>) {
        if let postgres = stack.postgres {
            let host = "\(postgres.host):\(postgres.port)"
            let roles = [(postgres.admin.user, postgres.admin.passwordSecret, "admin")] + postgres.roles.map { ($0.name, $0.passwordSecret, "role") }
            for (name, secret, what) in roles {
                let id = Self.id(.postgresRole, name)
                nodes[id] = StackGraph.Node(id: id, label: "postgres \(what) \(name) @ \(host)", kind: .postgresRole, layer: nil)
                edges.insert(.init(from: Self.id(.secret, secret), to: id, kind: .secret, label: "password"))
            }
        }
        if let s3 = stack.s3 {
            for bucket in s3.buckets {
                let id = Self.id(.s3Bucket, bucket.name)
                nodes[id] = StackGraph.Node(id: id, label: "s3 bucket \(bucket.name)", kind: .s3Bucket, layer: nil)
                if let credentials = s3.credentials {
                    for secret in [credentials.accessKeySecret, credentials.secretKeySecret] {
                        edges.insert(.init(from: Self.id(.secret, secret), to: id, kind: .secret, label: "credentials"))
                    }
                }
                for consumer in bucket.consumers {
                    edges.insert(.init(from: id, to: Self.id(.service, consumer), kind: .secret, label: "credentials"))
                }
            }
        }
    }

    static func id(_ kind: StackGraph.NodeKind, _ name: String) -> String { "\(kind.rawValue):\(name)" }

    private static func manifestEntry(of secret: SecretSpec, in stack: StackSpec) -> SecretManifestEntry? {
        guard case .manifest(let name) = secret.source else { return nil }
        return SecretSourceText.manifestEntry(named: name, in: stack)
    }

    private static func serviceLabel(_ service: ServiceSpec) -> String {
        let replicas = service.deploy.mode == .global ? "global" : "×\(service.deploy.replicas ?? 1)"
        return "\(service.name) (\(RunnerImage.displayName(service.image)), \(replicas))"
    }

    /// The node a secret's value comes from: never the value, only its kind and name.
    private static func source(of secret: SecretSpec, root: String) -> (StackGraph.NodeKind, String, String) {
        switch secret.source {
        case .file(let path):
            let relative = StackInventoryBuilder.relative(path, to: root)
            return (.secretSource, "file:\(relative)", "file \(relative)")
        case .environment(let variable): return (.secretSource, "env:\(variable)", "env $\(variable)")
        case .generate(let length, let alphabet): return (.secretSource, "generated:\(secret.name)", "generated \(length) \(alphabet.specName)")
        case .external(let name): return (.secretSource, "external:\(name)", "external \(name)")
        case .vaultToken(let token): return (.vaultToken, token, "vault token \(token)")
        case .vaultUnsealer(let part): return (.secretSource, "vault-unsealer:\(part.rawValue)", "derived from the Vault key file")
        case .local(let name): return (.secretSource, "local:\(name)", "local store \(name)")
        case .manifest(let name): return (.secretSource, "manifest:\(name)", "manifest \(name)")
        case .doppler(_, _, let name): return (.secretSource, "doppler:\(name)", "doppler \(name)")
        }
    }
}
