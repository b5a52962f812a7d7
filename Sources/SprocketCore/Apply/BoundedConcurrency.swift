/// Runs `operation` on every element with at most `limit` running at once, and collects every failure
/// instead of stopping at the first, so one bad service does not hide the others' errors.
func forEachConcurrently<Element: Sendable>(
    _ elements: [Element], limit: Int, _ operation: @escaping @Sendable (Element) async throws -> Void
) async -> [(Element, any Error)] {
    await withTaskGroup(of: (Element, (any Error)?).self) { group in
        var failures: [(Element, any Error)] = []
        var iterator = elements.makeIterator()
        var running = 0
        func collect(_ result: (Element, (any Error)?)) {
            if let error = result.1 { failures.append((result.0, error)) }
        }
        while let element = iterator.next() {
            if running >= max(1, limit), let finished = await group.next() {
                collect(finished)
                running -= 1
            }
            group.addTask {
                do {
                    try await operation(element)
                    return (element, nil)
                } catch {
                    return (element, error)
                }
            }
            running += 1
        }
        for await finished in group { collect(finished) }
        return failures
    }
}
