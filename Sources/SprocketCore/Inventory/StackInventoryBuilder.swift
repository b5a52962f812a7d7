import Foundation

/// Builds the ``StackInventory`` of a loaded stack. Reads names and sources only, never a secret's value.
public struct StackInventoryBuilder: Sendable {
    public var stack: StackSpec
    /// Token name to recorded expiry, as the local sealed store knows it (the CLI reads it; empty when unknown).
    public var tokenExpiries: [String: Date]

    public init(stack: StackSpec, tokenExpiries: [String: Date] = [:]) {
        self.stack = stack
        self.tokenExpiries = tokenExpiries
    }

    public func build() -> StackInventory {
        let services = stack.layers.flatMap { layer in layer.services.map { (layer.name, $0) } }
        return StackInventory(
            stack: stack.name, environment: stack.environment, description: stack.description,
            layers: LayerOrder.sorted(stack.layers.map { ($0.name, $0.needs.map(\.name)) }).map { name in
                let needs = stack.layer(named: name)?.needs.map(\.name).sorted() ?? []
                return needs.isEmpty ? name : "\(name) (needs \(needs.joined(separator: ", ")))"
            },
            services: services.map { Self.service($0.1, layer: $0.0) }.sorted { $0.name < $1.name },
            routes: RouteEntry.entries(of: stack),
            secrets: secrets(services.map(\.1)),
            vaultTokens: (stack.vault?.tokens ?? []).map { token in
                StackInventory.VaultToken(
                    name: token.name, secret: token.secretName, policies: token.policies.sorted(),
                    lifetime: token.period.map { "period \($0.goStyle)" } ?? "ttl \(token.lifetime.goStyle)",
                    consumers: token.consumers.sorted(), expiresAt: tokenExpiries[token.name])
            }.sorted { $0.name < $1.name },
            configs: stack.layers.flatMap { layer in
                layer.configs.map { config in
                    StackInventory.Config(
                        name: config.name, layer: layer.name, source: Self.source(of: config, root: stack.rootDirectory),
                        consumers: services.filter { $0.1.configs.contains { $0.source == config.name } }.map(\.1.name).sorted())
                }
            }.sorted { $0.name < $1.name },
            volumes: stack.layers.flatMap { layer in
                layer.volumes.map { volume in
                    StackInventory.Volume(
                        name: volume.name, layer: layer.name, driver: volume.isExternal ? "external \(volume.externalName ?? "")" : volume.driver,
                        consumers: services.filter { $0.1.mounts.contains { $0.kind == .volume && $0.source == volume.name } }.map(\.1.name).sorted())
                }
            }.sorted { $0.name < $1.name },
            postgres: stack.postgres.map(Self.postgres),
            buckets: (stack.s3?.buckets ?? []).map { bucket in
                StackInventory.Bucket(
                    name: bucket.name, endpoint: stack.s3?.endpoint ?? "AWS", region: stack.s3?.region ?? "",
                    versioning: bucket.versioning,
                    lifecycle: (bucket.lifecycle ?? []).map { "\($0.prefix) expires after \($0.expireDays) days" },
                    consumers: bucket.consumers.sorted())
            }.sorted { $0.name < $1.name })
    }

    private func secrets(_ services: [ServiceSpec]) -> [StackInventory.Secret] {
        var credentialUsers: [String: [String]] = [:]
        if let postgres = stack.postgres {
            credentialUsers[postgres.admin.passwordSecret, default: []].append("postgres admin \(postgres.admin.user)")
            for role in postgres.roles { credentialUsers[role.passwordSecret, default: []].append("postgres role \(role.name)") }
            if let ca = postgres.caCertificateSecret { credentialUsers[ca, default: []].append("postgres CA certificate") }
        }
        if let s3 = stack.s3, let credentials = s3.credentials {
            for secret in [credentials.accessKeySecret, credentials.secretKeySecret] {
                credentialUsers[secret, default: []].append("s3 buckets")
            }
        }
        return stack.layers.flatMap { layer in
            layer.secrets.map { secret in
                let mounts = services.filter { $0.secrets.contains { $0.source == secret.name } }.map(\.name)
                var source = Self.source(of: secret, root: stack.rootDirectory)
                var vault: String?
                if case .manifest(let name) = secret.source, let entry = SecretSourceText.manifestEntry(named: name, in: stack) {
                    source = SecretSourceText.manifest(entry, in: stack)
                    vault = SecretSourceText.vault(entry, in: stack)
                }
                return StackInventory.Secret(
                    name: secret.name, layer: layer.name, source: source, vault: vault,
                    consumers: (mounts + (credentialUsers[secret.name] ?? [])).sorted())
            }
        }.sorted { $0.name < $1.name }
    }

    private static func service(_ service: ServiceSpec, layer: String) -> StackInventory.Service {
        let deploy = service.deploy
        let replicas = switch deploy.mode {
        case .global: "global"
        case .globalJob: "global job"
        case .replicatedJob: "job ×\(deploy.replicas ?? 1)"
        case .replicated: String(deploy.replicas ?? 1)
        }
        let ports = service.ports.map { port in
            "\(port.published.map { "\($0):" } ?? "")\(port.target)/\(port.transportProtocol.rawValue) (\(port.mode.rawValue))"
        }
        let healthcheck = service.healthcheck.map { check in
            let test = check.test.first == "CMD" || check.test.first == "CMD-SHELL" ? Array(check.test.dropFirst()) : check.test
            return test.joined(separator: " ") + (check.interval.map { " every \($0.goStyle)" } ?? "")
        }
        var placement = deploy.placement.constraints
        placement += deploy.placement.spreadPreferences.map { "spread \($0)" }
        if let max = deploy.placement.maxReplicasPerNode { placement.append("max \(max) per node") }
        return StackInventory.Service(
            name: service.name, layer: layer, image: service.image, replicas: replicas, ports: ports,
            networks: service.networks.map(\.name).sorted(), healthcheck: healthcheck, placement: placement.sorted(),
            endpointMode: deploy.endpointMode.rawValue)
    }

    private static func postgres(_ spec: PostgresSpec) -> StackInventory.Postgres {
        StackInventory.Postgres(
            host: spec.host, port: spec.port, sslMode: spec.sslMode.rawValue, admin: spec.admin.user,
            roles: spec.roles.map { StackInventory.PostgresRole(name: $0.name, passwordSecret: $0.passwordSecret, connectionLimit: $0.connectionLimit) }
                .sorted { $0.name < $1.name },
            databases: spec.databases.map { database in
                StackInventory.PostgresDatabase(
                    name: database.name, owner: database.owner, extensions: database.extensions.sorted(),
                    schemas: database.schemas.map(\.name).sorted(),
                    grants: database.grants.map { grant in
                        let level = switch grant.level {
                        case .database: "database"
                        case .schema(let schema): "schema \(schema)"
                        case .allTables(let schema): "all tables in \(schema)"
                        }
                        return "\(grant.role): \(grant.privileges.joined(separator: ", ")) on \(level)"
                    }.sorted())
            }.sorted { $0.name < $1.name })
    }

    /// A path inside the stack folder relative to it, so the inventory does not depend on where the spec is checked out.
    static func relative(_ path: String, to root: String) -> String {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    static func source(of secret: SecretSpec, root: String) -> String {
        switch secret.source {
        case .file(let path): "file \(relative(path, to: root))"
        case .environment(let variable): "environment \(variable)"
        case .generate(let length, let alphabet): "generated (\(length) \(alphabet.specName))"
        case .external(let name): "external \(name)"
        case .vaultToken(let token): "vault token \(token)"
        case .vaultUnsealer(let part): "the unsealer's \(part == .keyFile ? "key file" : "passphrase"), derived by `up` from the Vault key file"
        case .local(let name): "local store \(name) (`secrets set`)"
        case .manifest(let name): "manifest `secrets.\(name)` (synced by `secrets sync`)"
        case .doppler: secret.source.summary
        }
    }

    static func source(of config: ConfigSpec, root: String) -> String {
        switch config.source {
        case .file(let path): "file \(relative(path, to: root))"
        case .content: "inline content"
        case .template(let path): "template \(relative(path, to: root))"
        case .templateContent: "inline template"
        case .external(let name): "external \(name)"
        case .generated(let generated): "generated \(generated.rawValue)"
        }
    }
}
