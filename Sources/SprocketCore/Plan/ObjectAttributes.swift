/// The comparable attributes of networks and volumes, built the same way from the spec and from the engine.
public enum ObjectAttributes {
    public static func of(_ network: DesiredNetwork) -> [String: String] {
        Self.network(
            driver: network.driver, attachable: network.attachable, isInternal: network.isInternal,
            options: network.options, labels: network.labels)
    }

    public static func network(
        driver: String, attachable: Bool, isInternal: Bool, options: [String: String], labels: [String: String]
    ) -> [String: String] {
        var attributes = [
            "driver": driver,
            "attachable": String(attachable),
            "internal": String(isInternal),
        ]
        merge(options, prefix: "driver_opts.", into: &attributes)
        merge(userLabels(labels), prefix: "labels.", into: &attributes)
        return attributes
    }

    public static func of(_ volume: DesiredVolume) -> [String: String] {
        Self.volume(driver: volume.driver, options: volume.options, labels: volume.labels)
    }

    public static func volume(driver: String, options: [String: String], labels: [String: String]) -> [String: String] {
        var attributes = ["driver": driver]
        merge(options, prefix: "driver_opts.", into: &attributes)
        merge(userLabels(labels), prefix: "labels.", into: &attributes)
        return attributes
    }

    /// Labels minus the tool's own (`io.sprocket.*`), which move with layers and hashes.
    public static func userLabels(_ labels: [String: String]) -> [String: String] {
        labels.filter { !$0.key.hasPrefix("io.sprocket.") }
    }

    private static func merge(_ values: [String: String], prefix: String, into attributes: inout [String: String]) {
        for (key, value) in values { attributes[prefix + key] = value }
    }
}
