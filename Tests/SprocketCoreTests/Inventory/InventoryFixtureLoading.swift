import SprocketCore
import SprocketTestSupport

/// Loads ``InventoryFixture`` (or another stack) from a fresh temporary folder.
enum InventoryFixtureLoading {
    static func load(environment: String = "prod") throws -> StackSpec {
        let folder = try TemporaryDirectory(prefix: "inventory-fixture")
        defer { folder.remove() }
        try InventoryFixture.write(into: folder)
        return try SpecLoader(processEnvironment: [:]).load(path: folder.path, environment: environment)
    }
}
