/// Compares what the spec wants with what the engine reports and returns the ordered changes.
///
/// Pure: no I/O, no clock. The same inputs always give the same plan.
public struct Planner: Sendable {
    public struct Options: Sendable, Hashable {
        /// Only these layers (nil: all). Objects of other layers are neither changed nor pruned.
        public var layers: Set<String>?
        /// Remove objects that carry this stack's labels but are gone from the spec (the default).
        public var prune: Bool

        public init(layers: Set<String>? = nil, prune: Bool = true) {
            self.layers = layers
            self.prune = prune
        }
    }

    public var options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    public func plan(desired: DesiredState, observed: ObservedState) -> Plan {
        var blockers: [String] = []
        var notes: [String] = []
        var layerPlans: [LayerPlan] = []
        let desiredServiceNames = Set(desired.layers.flatMap(\.services).map(\.name))
        let desiredNetworkNames = Set(desired.layers.flatMap(\.networks).map(\.name))
        let desiredVolumeNames = Set(desired.layers.flatMap(\.volumes).map(\.name))
        let desiredObjectNames = Set(desired.layers.flatMap { $0.configs + $0.secrets }.map(\.dockerName))
        var serviceChanges: [String: PlannedChange.Action] = [:]

        for layer in desired.layers where includes(layer.name) {
            var changes: [PlannedChange] = []
            if options.prune {
                changes += observed.services
                    .filter { $0.layer == layer.name && !desiredServiceNames.contains($0.name) }
                    .map { PlannedChange(action: .delete, resource: ResourceID(.service, $0.name), layer: layer.name, dockerName: $0.dockerName, reason: "no longer in the spec") }
                changes += prunedObjects(observed.networks, layer: layer.name, keeping: desiredNetworkNames)
                changes += prunedObjects(observed.volumes, layer: layer.name, keeping: desiredVolumeNames)
            }
            changes += networkChanges(layer, observed: observed, blockers: &blockers)
            changes += volumeChanges(layer, observed: observed, blockers: &blockers)
            for object in layer.configs + layer.secrets where !object.isExternal {
                let existing = observed.objects(of: object.kind).contains { $0.dockerName == object.dockerName }
                if !existing {
                    // Offline, a secret whose value is not at hand has no content hash yet; say so instead of
                    // leaving a puzzling "unresolved" name.
                    let reason = object.content == nil ? "value not available offline; its name is known at `up`" : nil
                    changes.append(PlannedChange(action: .create, resource: ResourceID(object.kind, object.name), layer: layer.name, dockerName: object.dockerName, reason: reason))
                }
            }
            for service in layer.services {
                guard let current = observed.services.first(where: { $0.name == service.name }) else {
                    changes.append(PlannedChange(action: .create, resource: ResourceID(.service, service.name), layer: layer.name, dockerName: service.dockerName))
                    serviceChanges[service.name] = .create
                    continue
                }
                let fields = FieldDiff.changes(from: Self.comparable(current.definition, to: service.definition), to: service.definition)
                if !fields.isEmpty {
                    changes.append(PlannedChange(action: .update, resource: ResourceID(.service, service.name), layer: layer.name, dockerName: service.dockerName, fields: fields))
                    serviceChanges[service.name] = .update
                }
            }
            for change in changes where change.resource.kind == .service && change.action == .delete {
                serviceChanges[change.resource.name] = .delete
            }
            layerPlans.append(LayerPlan(layer: layer.name, changes: changes))
        }

        let garbage = collectableObjects(desired: desired, observed: observed, serviceChanges: serviceChanges, desiredObjectNames: desiredObjectNames, notes: &notes)
        for object in garbage {
            let change = PlannedChange(action: .delete, resource: ResourceID(object.kind, object.name), layer: object.layer, dockerName: object.dockerName, reason: "old version, no longer referenced")
            if let index = layerPlans.firstIndex(where: { $0.layer == object.layer }) {
                layerPlans[index].changes.append(change)
            }
        }

        if options.layers != nil {
            blockers += missingDependencies(desired: desired, observed: observed, plans: layerPlans)
        }
        let orphans = options.prune && options.layers == nil ? orphanLayers(desired: desired, observed: observed) : []
        return Plan(identity: desired.identity, layers: layerPlans, orphanLayers: orphans, blockers: blockers, notes: notes)
    }

    /// Swarm pins the digest of a tag it could resolve (`img:1@sha256:...`); a spec naming only the tag is
    /// satisfied by that, so the pin is not a difference.
    static func comparable(_ observed: ServiceDefinition, to desired: ServiceDefinition) -> ServiceDefinition {
        var observed = observed
        if !desired.image.contains("@"), let at = observed.image.firstIndex(of: "@") {
            observed.image = String(observed.image[..<at])
        }
        return observed
    }

    private func includes(_ layer: String) -> Bool { options.layers?.contains(layer) ?? true }

    private func prunedObjects(_ objects: [ObservedObject], layer: String, keeping names: Set<String>) -> [PlannedChange] {
        objects.filter { $0.layer == layer && !names.contains($0.name) }.map {
            PlannedChange(action: .delete, resource: ResourceID($0.kind, $0.name), layer: layer, dockerName: $0.dockerName, reason: "no longer in the spec")
        }
    }

    private func networkChanges(_ layer: DesiredLayer, observed: ObservedState, blockers: inout [String]) -> [PlannedChange] {
        layer.networks.filter { !$0.isExternal }.compactMap { network in
            let wanted = ObjectAttributes.of(network)
            return objectChange(.network, name: network.name, dockerName: network.dockerName, layer: layer.name, wanted: wanted, observed: observed.networks, blockers: &blockers)
        }
    }

    private func volumeChanges(_ layer: DesiredLayer, observed: ObservedState, blockers: inout [String]) -> [PlannedChange] {
        layer.volumes.filter { !$0.isExternal }.compactMap { volume in
            let wanted = ObjectAttributes.of(volume)
            return objectChange(.volume, name: volume.name, dockerName: volume.dockerName, layer: layer.name, wanted: wanted, observed: observed.volumes, blockers: &blockers)
        }
    }

    /// Networks and volumes cannot be changed in place; a difference blocks the run instead of silently
    /// dropping data or connectivity.
    private func objectChange(
        _ kind: ResourceKind, name: String, dockerName: String, layer: String, wanted: [String: String],
        observed: [ObservedObject], blockers: inout [String]
    ) -> PlannedChange? {
        guard let current = observed.first(where: { $0.name == name }) else {
            return PlannedChange(action: .create, resource: ResourceID(kind, name), layer: layer, dockerName: dockerName)
        }
        let fields = FieldDiff.changes(from: current.attributes, to: wanted)
        if !fields.isEmpty {
            let detail = fields.map(\.description).joined(separator: ", ")
            blockers.append(
                "\(kind.rawValue) \(name) (\(dockerName)) changed: \(detail). A \(kind.rawValue) cannot be changed in place; "
                    + "remove it first (`sprocketctl down --layer \(layer)`), or give it a new name in the spec")
        }
        return nil
    }

    /// Old config and secret versions that no service will refer to after this run, in its spec or in the
    /// previous spec Swarm keeps for its own rollback.
    private func collectableObjects(
        desired: DesiredState, observed: ObservedState, serviceChanges: [String: PlannedChange.Action],
        desiredObjectNames: Set<String>, notes: inout [String]
    ) -> [ObservedObject] {
        let desiredServices = Dictionary(desired.layers.flatMap(\.services).map { ($0.name, $0) }) { first, _ in first }
        var referencedAfterRun: [String: [String]] = [:]
        func refer(_ names: Set<String>, by service: String, _ how: String) {
            for name in names { referencedAfterRun[name, default: []].append("\(how) of service \(service)") }
        }
        for service in observed.services {
            switch serviceChanges[service.name] {
            case .delete: break
            case .update:
                refer(desiredServices[service.name]?.definition.referencedObjectNames ?? [], by: service.name, "the spec")
                refer(service.definition.referencedObjectNames, by: service.name, "the previous spec")
            default:
                refer(service.definition.referencedObjectNames, by: service.name, "the spec")
                refer(service.previousReferences, by: service.name, "the previous spec")
            }
        }
        for service in desiredServices.values where serviceChanges[service.name] == .create {
            refer(service.definition.referencedObjectNames, by: service.name, "the spec")
        }
        var garbage: [ObservedObject] = []
        let desiredLayerNames = Set(desired.layers.map(\.name))
        for object in (observed.configs + observed.secrets).sorted(by: { $0.dockerName < $1.dockerName })
        where !desiredObjectNames.contains(object.dockerName) && includes(object.layer)
            && desiredLayerNames.contains(object.layer)
        {
            if let users = referencedAfterRun[object.dockerName] {
                notes.append("keeping \(object.kind.rawValue) \(object.dockerName): still referenced by \(users.sorted().joined(separator: ", "))")
            } else if options.prune {
                garbage.append(object)
            }
        }
        return garbage
    }

    /// Objects that services of the selected layers would use but that neither exist nor are created by this
    /// plan, because their layer is not selected: the engine would refuse the service halfway through the run.
    private func missingDependencies(desired: DesiredState, observed: ObservedState, plans: [LayerPlan]) -> [String] {
        let created = Set(plans.flatMap(\.changes).filter { $0.action == .create }.map(\.dockerName))
        let existing = Set((observed.networks + observed.volumes + observed.configs + observed.secrets).map(\.dockerName))
        var owners: [String: (kind: ResourceKind, name: String, layer: String)] = [:]
        for layer in desired.layers {
            for network in layer.networks where !network.isExternal { owners[network.dockerName] = (.network, network.name, layer.name) }
            for object in layer.configs + layer.secrets where !object.isExternal { owners[object.dockerName] = (object.kind, object.name, layer.name) }
        }
        var blockers: [String] = []
        for plan in plans {
            for change in plan.changes where change.resource.kind == .service && change.action != .delete {
                guard let service = desired.layers.flatMap(\.services).first(where: { $0.name == change.resource.name }) else { continue }
                let needed = service.definition.referencedObjectNames.union(service.definition.networks.map(\.network))
                for name in needed.sorted() where !created.contains(name) && !existing.contains(name) {
                    guard let owner = owners[name] else { continue }
                    blockers.append(
                        "service \(service.name) needs \(owner.kind.rawValue) \(owner.name) (\(name)) of layer \(owner.layer), which this run does not deploy; "
                            + "add `--layer \(owner.layer)`, or run without --layer")
                }
            }
        }
        return blockers
    }

    private func orphanLayers(desired: DesiredState, observed: ObservedState) -> [LayerPlan] {
        let known = Set(desired.layers.map(\.name))
        var byLayer: [String: [PlannedChange]] = [:]
        let reason = "its layer is no longer in the spec"
        for service in observed.services where !known.contains(service.layer) {
            if desired.layers.contains(where: { layer in layer.services.contains { $0.name == service.name } }) { continue }
            byLayer[service.layer, default: []].append(PlannedChange(action: .delete, resource: ResourceID(.service, service.name), layer: service.layer, dockerName: service.dockerName, reason: reason))
        }
        let desiredNames = Set(desired.layers.flatMap { layer in
            layer.networks.map { ResourceID(.network, $0.name) } + layer.volumes.map { ResourceID(.volume, $0.name) }
        })
        for object in observed.networks + observed.volumes
        where !known.contains(object.layer) && !desiredNames.contains(ResourceID(object.kind, object.name)) {
            byLayer[object.layer, default: []].append(PlannedChange(action: .delete, resource: ResourceID(object.kind, object.name), layer: object.layer, dockerName: object.dockerName, reason: reason))
        }
        let referenced = Set(desired.layers.flatMap(\.services).flatMap(\.definition.referencedObjectNames))
        let declared = Set(desired.layers.flatMap { $0.configs + $0.secrets }.map(\.dockerName))
        for object in observed.configs + observed.secrets
        where !known.contains(object.layer) && !referenced.contains(object.dockerName) && !declared.contains(object.dockerName) {
            byLayer[object.layer, default: []].append(PlannedChange(action: .delete, resource: ResourceID(object.kind, object.name), layer: object.layer, dockerName: object.dockerName, reason: reason))
        }
        return byLayer.keys.sorted().reversed().map { LayerPlan(layer: $0, changes: byLayer[$0] ?? []) }
    }
}
