import ArgumentParser

/// `--ca-bundle`: what HTTPS routes' certificates must chain to, for `up`'s route gate, `verify` and `verify routes`.
/// An option group, so `verify routes` and its parent `verify` share one option instead of each declaring its own.
struct RouteTrustOptions: ParsableArguments {
    @Option(
        name: .customLong("ca-bundle"),
        help: "PEM file of the CA certificates HTTPS routes' certificates must chain to (default: this machine's system bundle; a staging resolver's certificates are then not required to verify).")
    var caBundle: String?
}
