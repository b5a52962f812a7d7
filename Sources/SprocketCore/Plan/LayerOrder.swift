/// Orders layers so each comes after the layers it needs; ties keep file order, so the order is stable.
public enum LayerOrder {
    /// - Returns: layer names in deploy order. Layers caught in a cycle (the validator reports those) are appended
    ///   in file order so callers never lose a layer.
    public static func sorted(_ layers: [(name: String, needs: [String])]) -> [String] {
        var remaining = layers
        var placed: [String] = []
        var placedSet: Set<String> = []
        let known = Set(layers.map(\.name))
        while !remaining.isEmpty {
            guard let index = remaining.firstIndex(where: { layer in
                layer.needs.allSatisfy { placedSet.contains($0) || !known.contains($0) }
            }) else {
                placed.append(contentsOf: remaining.map(\.name))
                break
            }
            let layer = remaining.remove(at: index)
            placed.append(layer.name)
            placedSet.insert(layer.name)
        }
        return placed
    }
}
