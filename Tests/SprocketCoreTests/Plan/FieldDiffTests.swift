import SprocketCore
import Testing

@Suite("FieldDiff")
struct FieldDiffTests {
    @Test("equal definitions have no field change")
    func equal() {
        var definition = ServiceDefinition(image: "api:1")
        definition.env = ["A=1"]
        #expect(FieldDiff.changes(from: definition, to: definition).isEmpty)
    }

    @Test("absent and empty collections read the same")
    func absentEqualsEmpty() {
        let absent = ServiceDefinition(image: "api:1")
        var empty = absent
        empty.entrypoint = []
        empty.args = []
        #expect(FieldDiff.changes(from: absent, to: empty).isEmpty)
    }

    @Test("nested fields are named by their path")
    func nestedPath() {
        var old = ServiceDefinition(image: "api:1")
        old.healthcheck = HealthcheckDefinition(test: ["CMD", "true"], retries: 3)
        var new = old
        new.healthcheck?.retries = 5
        #expect(FieldDiff.changes(from: old, to: new) == [FieldChange(path: "healthcheck.retries", old: "3", new: "5")])
    }

    @Test("a value that appears is shown as one change with its whole text")
    func appearingValue() {
        let old = ServiceDefinition(image: "api:1")
        var new = old
        new.healthcheck = HealthcheckDefinition(test: ["CMD", "true"], retries: 3)
        #expect(FieldDiff.changes(from: old, to: new) == [FieldChange(path: "healthcheck", old: nil, new: "{retries: 3, test: [CMD, true]}")])
    }

    @Test("lists of equal length differ element by element, of different length as a whole")
    func lists() {
        var old = ServiceDefinition(image: "api:1")
        old.env = ["A=1", "B=2"]
        var sameLength = old
        sameLength.env = ["A=1", "B=3"]
        var longer = old
        longer.env = ["A=1", "B=2", "C=3"]
        #expect(FieldDiff.changes(from: old, to: sameLength) == [FieldChange(path: "env[1]", old: "B=2", new: "B=3")])
        #expect(FieldDiff.changes(from: old, to: longer) == [FieldChange(path: "env", old: "[A=1, B=2]", new: "[A=1, B=2, C=3]")])
    }

    @Test("string attributes are compared key by key, in key order")
    func attributes() {
        let changes = FieldDiff.changes(from: ["a": "1", "b": "2", "same": "x"], to: ["b": "3", "c": "4", "same": "x"])
        #expect(changes == [
            FieldChange(path: "a", old: "1", new: nil),
            FieldChange(path: "b", old: "2", new: "3"),
            FieldChange(path: "c", old: nil, new: "4"),
        ])
    }

    @Test(
        "changes describe themselves for the plan output",
        arguments: [
            (FieldChange(path: "image", old: "a", new: "b"), "image a -> b"),
            (FieldChange(path: "labels.x", old: nil, new: "1"), "labels.x (none) -> 1"),
            (FieldChange(path: "replicas", old: "2", new: nil), "replicas 2 -> (none)"),
        ])
    func fieldDescription(change: FieldChange, text: String) {
        #expect(change.description == text)
    }

    @Test(
        "planned changes describe themselves with a symbol, the fields and the reason",
        arguments: [
            (PlannedChange(action: .create, resource: ResourceID(.network, "front"), layer: "edge", dockerName: "it-dev_front"), "+ network front"),
            (
                PlannedChange(
                    action: .update, resource: ResourceID(.service, "api"), layer: "app", dockerName: "it-dev_api",
                    fields: [FieldChange(path: "image", old: "a", new: "b"), FieldChange(path: "replicas", old: "1", new: "2")]),
                "~ service api: image a -> b, replicas 1 -> 2"
            ),
            (
                PlannedChange(action: .delete, resource: ResourceID(.secret, "pw"), layer: "data", dockerName: "x", reason: "old version"),
                "- secret pw (old version)"
            ),
        ])
    func changeDescription(change: PlannedChange, text: String) {
        #expect(change.description == text)
    }
}
