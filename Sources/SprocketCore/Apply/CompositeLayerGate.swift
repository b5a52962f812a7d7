/// Several gates in order, their results together: e.g. the layer's checks, then unsealing the Vault it runs.
public struct CompositeLayerGate: LayerGate {
    public var gates: [any LayerGate]

    public init(_ gates: [any LayerGate]) {
        self.gates = gates
    }

    public func evaluate(layer: DesiredLayer, events: ApplyEventHandler) async throws -> [GateCheckResult] {
        var results: [GateCheckResult] = []
        for gate in gates {
            results += try await gate.evaluate(layer: layer, events: events)
            // A failed check already stops the run; a later gate must not act on a layer that is not healthy.
            if results.contains(where: { !$0.passed }) { break }
        }
        return results
    }
}
