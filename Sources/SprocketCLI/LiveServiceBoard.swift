import Foundation
import SprocketCore
import Synchronization

/// The live block on a terminal: one line per service of the converging layer (tasks running/desired, phase,
/// elapsed), redrawn in place; cleared before any other line is printed so that log lines stay readable.
final class LiveServiceBoard: Sendable {
    private struct State {
        var drawnLines = 0
        var firstSeen: [String: Date] = [:]
        /// Plain mode: the last line printed per service, to print only changes.
        var lastPlain: [String: String] = [:]
    }

    private let console: Console
    private let state = Mutex(State())

    init(console: Console) {
        self.console = console
    }

    /// Redraws the block (terminal).
    func draw(layer: String, services: [ServiceConvergence]) {
        let lines = self.lines(layer: layer, services: services)
        let text = state.withLock { state -> String in
            defer { state.drawnLines = lines.count }
            return Self.erase(state.drawnLines) + lines.joined(separator: "\n") + "\n"
        }
        FileHandle.standardError.write(Data(SecretRedactor.shared.redact(text).utf8))
    }

    /// Prints the services whose line changed since last time (plain output, CI logs).
    func printChanges(layer: String, services: [ServiceConvergence]) {
        let lines = self.lines(layer: layer, services: services, withElapsed: false)
        let changed = state.withLock { state in
            zip(services, lines).filter { service, line in
                defer { state.lastPlain[service.dockerName] = line }
                return state.lastPlain[service.dockerName] != line
            }.map(\.1)
        }
        for line in changed { console.err(line) }
    }

    /// Removes the block so that a normal line can be printed where it was.
    func clear() {
        let text = state.withLock { state -> String in
            defer { state.drawnLines = 0 }
            return Self.erase(state.drawnLines)
        }
        if !text.isEmpty { FileHandle.standardError.write(Data(text.utf8)) }
    }

    private func lines(layer: String, services: [ServiceConvergence], withElapsed: Bool = true) -> [String] {
        let now = Date()
        let width = services.map(\.dockerName.count).max() ?? 0
        return services.map { service in
            let since = state.withLock { state in
                if let seen = state.firstSeen[service.dockerName] { return seen }
                state.firstSeen[service.dockerName] = now
                return now
            }
            let phase: String = switch service.phase {
            case .converged: "converged"
            // Tasks must stay up a moment before they count: "settling" says they run but are not trusted yet.
            case .progressing: service.runningTasks >= service.desiredTasks && service.desiredTasks > 0 ? "settling" : "starting"
            case .failed(let reason): "failed: \(reason)"
            }
            let name = service.dockerName.padding(toLength: width, withPad: " ", startingAt: 0)
            let elapsed = withElapsed ? String(format: "  %4.0fs", now.timeIntervalSince(since)) : ""
            return "  \(layer) \(name)  \(service.runningTasks)/\(service.desiredTasks)  \(phase)\(elapsed)"
        }
    }

    /// Cursor up `lines` lines and clear to the end of the screen.
    private static func erase(_ lines: Int) -> String {
        lines > 0 ? "\u{1B}[\(lines)A\u{1B}[J" : ""
    }
}
