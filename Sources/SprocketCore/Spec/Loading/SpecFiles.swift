import Foundation

/// The loader's only access to the file system: existence checks, reads and path arithmetic.
///
/// Paths shown to users keep the form the user typed (relative stays relative); paths stored in the
/// model for later reading (`file:` of configs and secrets) are absolute.
enum SpecFiles {
    enum Kind: Equatable {
        case missing
        case file
        case directory
    }

    static func kind(of path: String) -> Kind {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .missing }
        return isDirectory.boolValue ? .directory : .file
    }

    /// The size in bytes of the file at `path`, without reading it; nil when it cannot be found.
    static func size(of path: String) -> Int? {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue
    }

    static func bytes(at path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) }
    }

    /// Reads a UTF-8 text file; a missing, unreadable or non-UTF-8 file is reported at `location`
    /// (or at the offending byte for an encoding problem).
    static func text(
        at path: String, displayPath: String, reportingAt location: SourceLocation, what: String,
        diagnostics: SpecDiagnosticCollector
    ) -> String? {
        guard let bytes = bytes(at: path) else {
            diagnostics.error(location, "\(what) `\(displayPath)` does not exist or cannot be read",
                              hint: "check the path; relative paths are resolved from the folder of the file that names them")
            return nil
        }
        switch SpecTextPosition.decodeUTF8(bytes) {
        case .success(let text):
            return text
        case .failure(let invalid):
            diagnostics.error(
                SourceLocation(file: displayPath, line: invalid.line, column: invalid.column),
                "\(what) `\(displayPath)` is not valid UTF-8", hint: "save the file as UTF-8 text")
            return nil
        }
    }

    static func isAbsolute(_ path: String) -> Bool { path.hasPrefix("/") }

    /// Joins a folder and a relative path for display; `""` and `"."` mean the current folder.
    static func join(_ directory: String, _ path: String) -> String {
        if isAbsolute(path) || directory.isEmpty || directory == "." { return path }
        return directory.hasSuffix("/") ? directory + path : directory + "/" + path
    }

    /// The folder part of a path (`""` for a bare file name).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func lastComponent(of path: String) -> String {
        let trimmed = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
        return trimmed.split(separator: "/").last.map(String.init) ?? trimmed
    }

    /// An absolute, normalised path (`.` and `..` removed).
    static func absolute(_ path: String, from currentDirectory: String) -> String {
        let joined = isAbsolute(path) ? path : join(currentDirectory, path)
        var parts: [Substring] = []
        for part in joined.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": _ = parts.popLast()
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }
}
