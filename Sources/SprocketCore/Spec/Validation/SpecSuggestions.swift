/// "Did you mean" suggestions by edit distance, shared by the loader (keys, units, settings) and the
/// validator (resource and layer names).
enum SpecSuggestions {
    /// The candidate closest to `word`, if it is close enough to be a plausible typo.
    ///
    /// The allowed distance grows with the word (1 for short words, up to 3), so `imgae` finds `image`
    /// but `db` does not find `web`.
    static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        let lowered = word.lowercased()
        let limit = lowered.count <= 3 ? 1 : (lowered.count <= 6 ? 2 : 3)
        var best: (candidate: String, distance: Int)?
        for candidate in candidates where candidate != word {
            let distance = editDistance(lowered, candidate.lowercased())
            guard distance <= limit else { continue }
            if best == nil || distance < best?.distance ?? Int.max { best = (candidate, distance) }
        }
        return best?.candidate
    }

    /// "did you mean `x`?" or nil.
    static func didYouMean(_ word: String, in candidates: some Sequence<String>) -> String? {
        closest(to: word, in: candidates).map { "did you mean `\($0)`?" }
    }

    /// A hint made of a did-you-mean (when there is one) and a fallback remedy.
    static func hint(for word: String, in candidates: some Sequence<String>, otherwise fallback: String) -> String {
        didYouMean(word, in: candidates) ?? fallback
    }

    /// Damerau-Levenshtein distance (optimal string alignment): a swap of two letters counts as one edit.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previousPrevious[j - 2] + 1)
                }
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }

    /// `a`, `a` and `b`, `a`, `b` and `c`: for listing names in a message.
    static func list(_ names: [String]) -> String {
        let quoted = names.map { "`\($0)`" }
        guard quoted.count > 1, let last = quoted.last else { return quoted.first ?? "none" }
        return quoted.dropLast().joined(separator: ", ") + " and " + last
    }
}
