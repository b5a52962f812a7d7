import Foundation
import SprocketCore

/// `doctor`'s leak scan of the spec's git work tree: the tracked files as they are now, and every line ever added
/// in any commit of any branch (`git log -p --all`), so that a token committed and then reverted is still found.
/// Also reports committed sprocketctl state (`.sprocket/`, `secrets.sealed`), the local key file, and Vault key files.
struct GitSecretScan {
    /// Where a finding is: a tracked file now, or a line added by a commit.
    struct Finding: Equatable {
        var path: String
        var line: Int?
        /// Short sha of the commit that added it; nil for the working tree.
        var commit: String?
        var kind: String
        var masked: String?
        var isKnownFormat: Bool
        /// For a working-tree finding: the commit that added it, when the history scan found it too.
        var addedIn: String?

        var description: String {
            let place = line.map { "\(path):\($0)" } ?? path
            let when = commit.map { "in commit \($0)" } ?? "in the working tree" + (addedIn.map { " (added in commit \($0))" } ?? "")
            return "\(place) \(when): \(kind)" + (masked.map { " (\($0))" } ?? "")
        }
    }

    let workTree: String

    /// Files larger than this are not read (they are not hand-written configuration).
    static let maximumFileSize = 2 << 20

    /// The top of the git work tree containing `directory`, or nil when it is not in one.
    static func workTree(containing directory: String) -> String? {
        (try? GitCommand.run(["rev-parse", "--show-toplevel"], in: directory))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func run() throws -> [Finding] {
        var findings = try trackedFiles()
        // A value still in the working tree is listed once, with the commit that added it (the oldest seen).
        for finding in try history() {
            let same = findings.indices.filter { index in
                findings[index].commit == nil && findings[index].path == finding.path && findings[index].kind == finding.kind
                    && findings[index].masked == finding.masked
            }
            if same.isEmpty {
                if !findings.contains(finding) { findings.append(finding) }
            } else {
                for index in same { findings[index].addedIn = finding.commit }
            }
        }
        let allowed = Self.allowedPrefixes(in: workTree)
        return findings.filter { finding in !allowed.contains { finding.path.hasPrefix($0) } }
    }

    /// The allow file at the top of the work tree: one path prefix per line (`Tests/Fixtures/`), `#` comments.
    /// Its findings are test fixtures and documented fakes, never real credentials: they are not reported.
    static let allowFileName = ".sprocket-secrets-allow"

    static func allowedPrefixes(in workTree: String) -> [String] {
        guard let text = try? String(contentsOfFile: "\(workTree)/\(allowFileName)", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    /// The tracked files as they are in the work tree.
    func trackedFiles() throws -> [Finding] {
        let paths = try GitCommand.run(["ls-files", "-z"], in: workTree).split(separator: "\0").map(String.init)
        var findings: [Finding] = []
        for path in paths {
            if let kind = Self.sensitivePath(path) { findings.append(Finding(path: path, kind: kind, isKnownFormat: true)) }
            let full = "\(workTree)/\(path)"
            guard let size = (try? FileManager.default.attributesOfItem(atPath: full))?[.size] as? Int, size <= Self.maximumFileSize,
                let data = FileManager.default.contents(atPath: full), !data.contains(0)
            else { continue }
            let text = String(decoding: data, as: UTF8.self)
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                findings += Self.scan(line, path: path, line: index + 1, commit: nil)
            }
        }
        return findings
    }

    /// Every line added by any commit reachable from any ref.
    func history() throws -> [Finding] {
        let marker = "@@sprocket-commit "
        let log = try GitCommand.run(
            ["log", "-p", "--all", "--no-color", "--no-ext-diff", "--unified=0", "--no-renames", "--format=\(marker)%h"], in: workTree)
        var findings: [Finding] = []
        var commit = ""
        var path: String?
        var inHeader = false
        var lineNumber = 0
        for line in log.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(marker) {
                commit = String(line.dropFirst(marker.count))
                inHeader = false
            } else if line.hasPrefix("diff --git ") {
                inHeader = true
                path = nil
            } else if inHeader, line.hasPrefix("+++ ") {
                let target = line.dropFirst(4)
                path = target.hasPrefix("b/") ? String(target.dropFirst(2)) : nil
                if let path, let kind = Self.sensitivePath(path) {
                    findings.append(Finding(path: path, commit: commit, kind: kind, isKnownFormat: true))
                }
            } else if line.hasPrefix("@@ ") {
                inHeader = false
                lineNumber = Self.newStart(of: line) ?? 1
            } else if !inHeader, line.hasPrefix("+"), let path {
                findings += Self.scan(line.dropFirst(), path: path, line: lineNumber, commit: commit)
                lineNumber += 1
            }
        }
        return findings
    }

    /// `@@ -12,3 +14,5 @@` → 14.
    static func newStart(of hunk: Substring) -> Int? {
        guard let plus = hunk.split(separator: " ").first(where: { $0.hasPrefix("+") }) else { return nil }
        return Int(plus.dropFirst().split(separator: ",").first ?? "")
    }

    /// The line of a sealed key file that names its format (checked only on lines containing the format's name).
    private static let sealedFormatLine = #"^\s*\{?\s*"format"\s*:\s*"sprocketctl-sealed"\s*,?\s*$"#

    static func scan(_ line: Substring, path: String, line number: Int, commit: String?) -> [Finding] {
        var findings = SecretLineScanner.scan(String(line)).map {
            Finding(path: path, line: number, commit: commit, kind: $0.kind, masked: $0.masked, isKnownFormat: $0.isKnownFormat)
        }
        // A passphrase-sealed file (Vault's key file) names its format in clear, on a line of its own JSON.
        if line.contains("sprocketctl-sealed"), line.range(of: sealedFormatLine, options: .regularExpression) != nil {
            findings.append(Finding(path: path, line: number, commit: commit, kind: "a sprocketctl sealed key file (Vault keys)", isKnownFormat: true))
        }
        return findings
    }

    /// Why a path must not be in git, or nil.
    static func sensitivePath(_ path: String) -> String? {
        let components = path.split(separator: "/")
        if components.contains(".sprocket") { return "sprocketctl state (.sprocket/) is committed" }
        switch components.last {
        case "secrets.sealed": return "a sealed secret store (secrets.sealed) is committed"
        case "secrets.key": return "a sprocketctl secret key file (secrets.key) is committed"
        default: return nil
        }
    }
}
