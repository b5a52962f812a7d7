import SprocketCore

/// Renders a plan for people: per layer, one line per change, with field diffs on their own lines.
struct PlanRenderer {
    var color: Bool

    func render(_ plan: Plan) -> [String] {
        var lines: [String] = []
        for layer in plan.layers + plan.orphanLayers where !layer.changes.isEmpty {
            lines.append("layer \(layer.layer):")
            for change in layer.changes {
                let head = "  \(symbol(change.action)) \(change.resource) (\(change.dockerName))"
                    + (change.reason.map { " - \($0)" } ?? "")
                lines.append(paint(head, change.action))
                for field in change.fields {
                    lines.append("      \(field.path): \(field.old ?? "(none)") -> \(field.new ?? "(none)")")
                }
            }
        }
        for note in plan.notes { lines.append("note: \(note)") }
        for blocker in plan.blockers { lines.append(paint("blocked: \(blocker)", .delete)) }
        lines.append(summary(plan))
        return lines
    }

    func summary(_ plan: Plan) -> String {
        guard plan.hasChanges else { return "No changes: \(plan.identity) matches the spec." }
        return "Plan for \(plan.identity): \(plan.count(.create)) to create, \(plan.count(.update)) to update, \(plan.count(.delete)) to delete."
    }

    private func symbol(_ action: PlannedChange.Action) -> String {
        switch action {
        case .create: "+"
        case .update: "~"
        case .delete: "-"
        }
    }

    private func paint(_ text: String, _ action: PlannedChange.Action) -> String {
        guard color else { return text }
        let code = switch action {
        case .create: "32"
        case .update: "33"
        case .delete: "31"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}
