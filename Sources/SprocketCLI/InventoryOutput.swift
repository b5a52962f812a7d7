import Foundation
import SprocketCore

/// Where `graph` and `docs` write: the file of `-o` (atomically, so a CI diff never sees half a file) or stdout.
enum InventoryOutput {
    static func write(_ bytes: [UInt8], to path: String?, console: Console) throws {
        guard let path else {
            FileHandle.standardOutput.write(Data(bytes))
            return
        }
        do {
            try AtomicFile.write(bytes, to: path, permissions: 0o644)
        } catch {
            throw SprocketError(.stateIO, "cannot write the output: \(error)", subject: path, hint: "check that the folder exists and is writable")
        }
        console.err("wrote \(path)")
    }
}
