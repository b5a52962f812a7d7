import Testing
@testable import SprocketCore

/// Settings resolve in one order (defaults < environment section < `SPROCKET_*` variables), record
/// where each value came from, and feed `${name}` everywhere.
@Suite("Settings and environments")
struct SettingsTests {
    @Test("each level overrides the one before and records its origin")
    func precedence() throws {
        let root = try SpecFixtures.path("full")
        let stack = try SpecFixtures.load("full", environment: "prod", variables: ["SPROCKET_DOMAIN": "override.test", "SPROCKET_WEB_PORT": "9090"])
        let settings = stack.settings
        #expect(settings["domain"] == .string("override.test"))
        #expect(settings.entries["domain"]?.origin == .processEnvironment(variable: "SPROCKET_DOMAIN"))
        #expect(settings["web_replicas"] == .integer(4))
        #expect(settings.entries["web_replicas"]?.origin == .environmentSection("prod", SourceLocation(file: root + "/stack.yaml", line: 21, column: 21)))
        #expect(settings["greeting"] == .string("hello"))
        #expect(settings.entries["greeting"]?.origin == .specDefault(SourceLocation(file: root + "/stack.yaml", line: 12, column: 13)))
        #expect(settings["web_port"] == .integer(9090))
        #expect(settings["tls"] == .boolean(true))
        #expect(settings["base_url"] == .string("https://override.test:9090"), "a setting built from others sees their final values")
        #expect(settings["stack"] == .string("full") && settings.entries["env"]?.origin == .builtin && settings["env"] == .string("prod"))
        #expect(stack.service("web")?.environment.first { $0.name == "BASE_URL" }?.value == "https://override.test:9090")
    }

    @Test("the environment is --env, else default_environment, else the only one, else default")
    func selection() throws {
        let spec = try TemporarySpec([
            "one/stack.yaml": "stack: one\nenvironments:\n  only: {}\nlayers: [app]\n",
            "none/stack.yaml": "stack: none\nlayers: [app]\n",
            "one/app.yaml": "services: {}\n", "none/app.yaml": "services: {}\n",
        ])
        defer { spec.remove() }
        #expect(try SpecFixtures.load("full").environment == "local")
        #expect(try spec.load("one").environment == "only")
        #expect(try spec.load("none").environment == "default")
        #expect(try spec.load("none", environment: "blue").environment == "blue", "a stack without environments accepts any name")
        #expect(try spec.load("none", environment: "green").environment == "green")
    }

    @Test("an undeclared --env lists the declared environments")
    func undeclaredEnvironment() throws {
        let diagnostics = try SpecFixtures.errors("full", environment: "prd")
        let diagnostic = try #require(diagnostics.first { $0.message.contains("environment `prd` is not declared") })
        #expect(diagnostic.hint == "did you mean `prod`? (declared environments: `local` and `prod`)")
    }

    @Test("settings may refer to other settings, and a literal `${` is written `$${`")
    func references() throws {
        let spec = try TemporarySpec([
            "stack.yaml": """
                stack: refs
                settings:
                  host: app.${zone}
                  zone: ${region}.example.org
                  region: eu
                  price: $${cost}
                layers: [app]
                """,
            "app.yaml": "services:\n  web:\n    image: nginx\n    hostname: ${host}\n    user: $${not-a-setting}\n",
        ])
        defer { spec.remove() }
        let stack = try spec.load()
        #expect(stack.settings["host"] == .string("app.eu.example.org"))
        #expect(stack.settings["price"] == .string("${cost}"))
        #expect(stack.service("web")?.hostname == "app.eu.example.org")
        #expect(stack.service("web")?.user == "${not-a-setting}")
    }

    @Test("a boolean override from the environment must be a boolean")
    func booleanVariable() throws {
        let diagnostics = try SpecFixtures.errors("full", variables: ["SPROCKET_TLS": "maybe"])
        #expect(diagnostics.contains { $0.message.contains("`SPROCKET_TLS` must be a boolean") && $0.location == .synthetic("SPROCKET_TLS") })
    }

    @Test("the variable name of a setting is upper case with `-` and `.` as `_`", arguments: [
        ("web_port", "SPROCKET_WEB_PORT"), ("api-host", "SPROCKET_API_HOST"), ("db.name", "SPROCKET_DB_NAME"),
    ])
    func variableNames(setting: String, variable: String) {
        #expect(Settings.environmentVariable(for: setting) == variable)
    }
}
