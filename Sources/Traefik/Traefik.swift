/// The Traefik module: talks to a running Traefik (its HTTP API) and probes the routes it serves.
///
/// The pure parts of routing (rule grammar, label compiler, static configuration) live in the core
/// (`SprocketCore/Routing`); this module is the network side.
public enum Traefik {}
