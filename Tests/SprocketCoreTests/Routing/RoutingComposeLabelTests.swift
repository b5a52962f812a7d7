import Testing
@testable import SprocketCore

/// Hand-written Traefik labels in a plain Compose file get the same checks as in a stack.
@Suite("Routing: hand-written Traefik labels in a Compose file")
struct RoutingComposeLabelTests {
    @Test("a bad rule at its file column, a router shared by two services, and container labels Traefik ignores")
    func composeLabels() throws {
        let ruleLine = "        - \"traefik.http.routers.app.rule=Host(`a.example.com`) &&\""
        let compose = """
            services:
              web:
                image: nginx
                labels:
                  - traefik.http.routers.x.rule=Host(`x.example.com`)
                deploy:
                  labels:
            \(ruleLine)
              api:
                image: nginx
                deploy:
                  labels:
                    traefik.http.routers.app.rule: Host(`api.example.com`)

            """
        let spec = try TemporarySpec(["shop/compose.yaml": compose])
        defer { spec.remove() }
        let diagnostics = spec.diagnostics("shop")
        let errors = diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 2, "\(diagnostics)")
        let syntax = try #require(errors.first { $0.message.hasPrefix("invalid rule of router `app` (service `web`), column 25") })
        // The value starts after the opening quote and `traefik.http.routers.app.rule=`; the rule is 24 characters.
        let equals = try #require(ruleLine.firstIndex(of: "="))
        let valueStart = ruleLine.distance(from: ruleLine.startIndex, to: equals) + 2
        #expect(syntax.location == SourceLocation(file: "shop/compose.yaml", line: 8, column: valueStart + 24))
        #expect(syntax.message.hasSuffix("expected a matcher, `!` or `(` after `&&`, found the end of the rule"))
        let duplicate = try #require(errors.first { $0.message.hasPrefix("router `app` is defined by service `web` and service `api`") })
        #expect(duplicate.location.line == 13)
        #expect(diagnostics.contains {
            $0.severity == .warning && $0.message.hasPrefix("label `traefik.http.routers.x.rule` of service `web` is a container label")
        })
    }
}
