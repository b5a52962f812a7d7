import Foundation
import Testing
@testable import SprocketCore

/// A plain Compose file loads as a one-layer stack called `main`.
@Suite("Loading a Compose file")
struct ComposeLoadingTests {
    @Test("the folder names the stack, extension keys and merge keys work, unsupported keys warn")
    func composeFile() throws {
        let root = try SpecFixtures.path("compose-app")
        let stack = try SpecFixtures.load("compose-app/docker-compose.yml", environment: "a", variables: ["TAG": "2.1"])
        #expect(stack.kind == .compose && stack.name == "compose-app" && stack.environment == "a")
        #expect(stack.declaredEnvironments.isEmpty)
        #expect(stack.layers.map(\.name) == ["main"])
        let api = try #require(stack.service("api"))
        #expect(api.image == "example/api:2.1", "Compose files read ${VAR} from the process environment")
        #expect(api.environment.map(\.name) == ["TIER"], "merged from the x-defaults anchor")
        #expect(api.deploy.replicas == 2 && api.deploy.resources.limits.memoryBytes == 1 << 30)
        #expect(api.healthcheck?.test == ["CMD-SHELL", "curl -f http://localhost/"])
        #expect(api.healthcheck?.interval == .seconds(30), "Compose files take bare numbers as seconds")
        let layer = try #require(stack.layers.first)
        #expect(layer.networks.map(\.name) == ["default"], "the implicit default network, since db names it")
        #expect(layer.volumes.map(\.name) == ["db-data"])
        #expect(layer.secrets.first?.source == .file(path: root + "/secrets/db-password.txt"))
        let warned = Set(stack.warnings.map { $0.message.split(separator: "`", omittingEmptySubsequences: false)[1] })
        #expect(warned == ["restart", "depends_on", "container_name"])
        #expect(stack.warnings.allSatisfy { $0.severity == .warning && $0.hint != nil })
        #expect(stack.warnings.first { $0.message.contains("depends_on") }?.hint
            == "put the dependency in an earlier layer and use `needs`")
    }

    @Test("a default applies when the variable is unset, and two environments of one file can coexist")
    func defaultsAndEnvironments() throws {
        let first = try SpecFixtures.load("compose-app/docker-compose.yml", environment: "blue")
        let second = try SpecFixtures.load("compose-app/docker-compose.yml", environment: "green")
        #expect(first.service("api")?.image == "example/api:latest")
        #expect(first.environment == "blue" && second.environment == "green")
        #expect(try SpecFixtures.load("compose-app/docker-compose.yml").environment == "default")
    }

    @Test("Compose `name:` names the stack, a folder holding compose.yaml is enough, built-ins interpolate")
    func namedProject() throws {
        let stack = try SpecFixtures.load("compose-named", environment: "qa")
        #expect(stack.name == "shop" && stack.kind == .compose)
        #expect(stack.service("web")?.environment.map(\.value) == ["shop", "qa"])
    }

    @Test("a folder name becomes a valid stack name", arguments: [("My_App", "my-app"), ("shop.v2", "shop-v2"), ("api", "api")])
    func folderNames(folder: String, expected: String) throws {
        #expect(ComposeFileLoader.projectName(fromFolder: folder) == expected)
        let spec = try TemporarySpec(["\(folder)/docker-compose.yml": "services:\n  web:\n    image: nginx\n"])
        defer { spec.remove() }
        #expect(try spec.load(folder).name == expected)
    }

    @Test("an undefined variable in a Compose file is an error with its column")
    func undefinedVariable() throws {
        let spec = try TemporarySpec(["app/compose.yaml": "services:\n  web:\n    image: nginx:${TAG}\n"])
        defer { spec.remove() }
        let diagnostic = try #require(spec.diagnostics("app").first)
        #expect(diagnostic.message == "undefined variable `TAG`")
        #expect(diagnostic.location == SourceLocation(file: "app/compose.yaml", line: 3, column: 18))
    }

    @Test("a service that names no network, or an empty list, joins `default` as under docker stack deploy; one that names its own keeps it")
    func implicitDefaultNetwork() throws {
        let spec = try TemporarySpec(["app/compose.yaml": """
            services:
              web: {image: nginx}
              worker: {image: busybox, networks: []}
              edge: {image: traefik, networks: [front]}
            networks:
              front: {}
            """])
        defer { spec.remove() }
        let stack = try spec.load("app")
        #expect(stack.service("web")?.networks.map(\.name) == ["default"])
        #expect(stack.service("worker")?.networks.map(\.name) == ["default"])
        #expect(stack.service("edge")?.networks.map(\.name) == ["front"])
        #expect(Set(stack.layers.first?.networks.map(\.name) ?? []) == ["front", "default"])
        let alone = try TemporarySpec(["solo/compose.yaml": "services:\n  web:\n    image: nginx\n"])
        defer { alone.remove() }
        #expect(try alone.load("solo").layers.first?.networks.map(\.name) == ["default"], "one service too: docker creates the network")
    }

    @Test("relative and ~ bind sources in a Compose file resolve against its folder and HOME, each with a warning naming the path; ~user stays an error")
    func relativeBinds() throws {
        let spec = try TemporarySpec(["app/compose.yaml": """
            services:
              web:
                image: nginx
                volumes:
                  - ./site:/usr/share/nginx/html:ro
                  - ../shared:/shared
                  - ~/.cache/web:/cache
                  - type: bind
                    source: conf
                    target: /etc/web
            """])
        defer { spec.remove() }
        let stack = try spec.load("app", variables: ["HOME": "/home/op"])
        let folder = URL(fileURLWithPath: spec.directory + "/app").standardized.path
        let sources = stack.service("web")?.mounts.map(\.source)
        #expect(sources == [folder + "/site", URL(fileURLWithPath: spec.directory).standardized.path + "/shared", "/home/op/.cache/web", folder + "/conf"])
        let warnings = stack.warnings.filter { $0.message.contains("bind mount source") }
        #expect(warnings.count == 4 && warnings.allSatisfy { $0.hint?.contains("configs:") == true }, "\(warnings)")
        #expect(warnings.first?.message.contains("`./site` of service `web` is \(folder)/site") == true)

        let other = try TemporarySpec(["app/compose.yaml": "services:\n  web:\n    image: nginx\n    volumes: [\"~op/x:/x\"]\n"])
        defer { other.remove() }
        #expect(try other.diagnostics("app").contains { $0.message.contains("`~op/x`") && $0.message.contains("not an absolute path") })
    }

    static let commonEnv = "# shared\nLEVEL=info\nMODE=from-file\n\n  QUOTED=\"kept\"\nFROM_SHELL\nUNSET_IN_SHELL\n"
    static let webEnv = "LEVEL=debug\r\nEMPTY=\n"

    @Test("env_file: read as docker stack deploy reads it (literal values, comments, bare names from the environment), later files win, environment: wins over all")
    func envFiles() throws {
        let spec = try TemporarySpec([
            "app/compose.yaml": """
                services:
                  web:
                    image: nginx
                    env_file: [common.env, {path: ./local.env, required: false}, web.env]
                    environment: {MODE: from-compose}
                  db:
                    image: postgres
                    env_file: missing.env
                """,
            "app/common.env": Self.commonEnv,
            "app/web.env": Self.webEnv,
        ])
        defer { spec.remove() }
        let diagnostics = spec.diagnostics("app", variables: ["FROM_SHELL": "shell-value"])
        #expect(diagnostics.contains { $0.message == "env file `app/missing.env` does not exist or cannot be read" && $0.location.line == 8 },
                "\(diagnostics)")
        let fixed = try TemporarySpec([
            "app/compose.yaml": "services:\n  web:\n    image: nginx\n    env_file: [common.env, web.env]\n    environment: {MODE: from-compose}\n",
            "app/common.env": Self.commonEnv,
            "app/web.env": Self.webEnv,
        ])
        defer { fixed.remove() }
        let web = try #require(try fixed.load("app", variables: ["FROM_SHELL": "shell-value"]).service("web"))
        let values = Dictionary(uniqueKeysWithValues: web.environment.map { ($0.name, $0.value) })
        #expect(values == ["LEVEL": "debug", "MODE": "from-compose", "QUOTED": "\"kept\"", "FROM_SHELL": "shell-value", "EMPTY": ""])
        #expect(web.environment.first { $0.name == "LEVEL" }?.location == SourceLocation(file: "app/web.env", line: 1, column: 1))
    }

    @Test("a random-looking value from an env file is still found by the leak guard, which does not say it is in git")
    func envFileLeak() throws {
        let spec = try TemporarySpec([
            "app/compose.yaml": "services:\n  web:\n    image: nginx\n    env_file: web.env\n",
            "app/web.env": "API_TOKEN=q8Zr2LmX9vTn4KpW7sYb3HcJ6fDg1NaE\n",
        ])
        defer { spec.remove() }
        let finding = try #require(spec.diagnostics("app").first { $0.message.contains("API_TOKEN") })
        #expect(finding.location.file == "app/web.env" && !finding.message.contains("git"), "\(finding)")
    }
}
