extension StackSpec {
    /// The Docker name of the network Traefik reaches services on (`routing.network`): the declared
    /// network's external name or `<stack>-<env>_<name>`; a name no layer declares is taken as a Docker name.
    public var ingressNetworkDockerName: String? {
        guard let logical = routing.network else { return nil }
        guard let declared = layers.flatMap(\.networks).first(where: { $0.name == logical }) else { return logical }
        return declared.externalName ?? StackIdentity(stack: name, environment: environment).objectName(logical)
    }
}
