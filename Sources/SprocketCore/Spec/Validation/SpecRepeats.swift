/// Finds items whose key an earlier item already used: the core of every "declared twice" check,
/// in the loader (mapping keys, `KEY=VALUE` lists) and in the validator (names, ports, targets).
enum SpecRepeats {
    /// Every item whose key was seen before, in order, with the first item of that key.
    static func find<Item>(in items: some Sequence<Item>, key: (Item) -> String) -> [(item: Item, first: Item)] {
        var first: [String: Item] = [:]
        var repeats: [(item: Item, first: Item)] = []
        for item in items {
            let itemKey = key(item)
            if let earlier = first[itemKey] {
                repeats.append((item, earlier))
            } else {
                first[itemKey] = item
            }
        }
        return repeats
    }
}
