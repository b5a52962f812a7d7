import SprocketCore

extension ExpectedRouter {
    /// The expectation for a router the label compiler produced, field for field.
    ///
    /// The compiler already qualifies names with the provider of the stack's Traefik version (`@swarm` for v3,
    /// `@docker` for v2) and keeps `@internal` services as written, so the names pass through unchanged. TLS is
    /// always pinned (`true` or `false`): a localhost or IP router served with the default certificate must have a
    /// `tls` section without a resolver, and a plain HTTP router must have none. The priority is not compared:
    /// the API reports Traefik's derived priority, not the label.
    public init(_ compiled: CompiledRouter) {
        self.init(
            name: compiled.name, rule: compiled.rule, entryPoints: compiled.entryPoints,
            certResolver: compiled.certResolver, tls: compiled.tls, middlewares: compiled.middlewares,
            service: compiled.service)
    }
}
