import Testing
@testable import SprocketCore

/// One malformed spec and the diagnostic it must produce.
struct MalformedSpecCase: CustomTestStringConvertible, Sendable {
    var name: String
    /// Files of the stack folder; `stack.yaml` defaults to ``defaultStack``.
    var files: [String: String]
    var environment: String?
    var variables: [String: String] = [:]
    var file: String
    var line: Int
    /// Nil where a column is not meaningful (synthetic locations, whole-file problems).
    var column: Int?
    var message: String
    var severity: SpecDiagnostic.Severity = .error

    var testDescription: String { name }

    /// Line 7 is the layer list; settings are on lines 3-5.
    static let defaultStack = """
        stack: demo
        settings:
          tag: "1.0"
          web_port: 8080
          label: three
        layers:
          - app
        """

    /// A case whose only layer file is `app.yaml`.
    static func app(
        _ name: String, _ text: String, line: Int, column: Int?, _ message: String,
        severity: SpecDiagnostic.Severity = .error, environment: String? = nil, variables: [String: String] = [:]
    ) -> MalformedSpecCase {
        MalformedSpecCase(name: name, files: ["app.yaml": text], environment: environment, variables: variables,
                          file: "app.yaml", line: line, column: column, message: message, severity: severity)
    }

    /// A case in `stack.yaml` (an empty `app.yaml` layer is added unless given).
    static func stack(
        _ name: String, _ text: String, app: String = "services: {}\n", line: Int, column: Int?, _ message: String,
        environment: String? = nil, variables: [String: String] = [:]
    ) -> MalformedSpecCase {
        MalformedSpecCase(name: name, files: ["stack.yaml": text, "app.yaml": app], environment: environment,
                          variables: variables, file: "stack.yaml", line: line, column: column, message: message)
    }

    /// A stack of the layers `edge` and `app` (app needs edge).
    static func twoLayers(_ name: String, edge: String, app: String, file: String, line: Int, column: Int?, _ message: String) -> MalformedSpecCase {
        let stack = "stack: demo\nlayers: [edge, app]\n"
        return MalformedSpecCase(name: name, files: ["stack.yaml": stack, "edge.yaml": edge, "app.yaml": "needs: [edge]\n" + app],
                                 file: file, line: line, column: column, message: message)
    }

    func write() throws -> TemporarySpec {
        var all = files
        if all["stack.yaml"] == nil { all["stack.yaml"] = Self.defaultStack }
        return try TemporarySpec(all)
    }
}
