import Foundation
import SprocketCore
import Synchronization

/// Draws apply events: a live status line on a terminal, plain lines otherwise, NDJSON on stdout with `--json`.
final class EventRenderer: Sendable {
    private let console: Console
    private let json: Bool
    private let live: Bool
    private let lastWaiting = Mutex<String?>(nil)
    private let board: LiveServiceBoard

    init(console: Console, json: Bool) {
        self.console = console
        self.json = json
        self.live = console.isStandardErrorTerminal && !json
        self.board = LiveServiceBoard(console: console)
    }

    var handler: ApplyEventHandler { { [self] event in self.render(event) } }

    func render(_ event: ApplyEvent) {
        if json {
            console.json(EventRecord(event))
            return
        }
        switch event {
        case .serviceProgress(let layer, let services):
            if live { board.draw(layer: layer, services: services) } else { board.printChanges(layer: layer, services: services) }
            return
        case .waiting(let layer, let converged, let total, let pending):
            let text = "layer \(layer): \(converged)/\(total) services converged" + (pending.isEmpty ? "" : " (waiting for \(pending.prefix(3).joined(separator: ", "))\(pending.count > 3 ? ", ..." : ""))")
            if live {
                // The live board shows the same per service.
            } else {
                // Plain mode prints a waiting line only when it changes, so CI logs stay short.
                let changed = lastWaiting.withLock { last -> Bool in
                    defer { last = text }
                    return last != text
                }
                if changed { console.err(text) }
            }
            return
        default:
            break
        }
        if live { board.clear() }
        if let line = Self.line(for: event) { console.err(line) }
    }

    static func line(for event: ApplyEvent) -> String? {
        switch event {
        case .layerStarted(let layer, let changes): "layer \(layer): \(changes) change\(changes == 1 ? "" : "s")"
        case .changeStarted: nil
        case .changeSucceeded(let change, let seconds): "  \(change.isRestart ? "restarted" : pastTense(change.action)) \(change.resource) (\(String(format: "%.1f", seconds))s)"
        case .changeFailed(let change, let message): "  failed to \(change.action.rawValue) \(change.resource): \(message)"
        case .waiting, .serviceProgress: nil
        case .layerSucceeded(let layer, let seconds): "layer \(layer): converged in \(String(format: "%.1f", seconds))s"
        case .layerFailed(let layer, _): "layer \(layer): failed"
        case .serviceFailed(let service, let reason, _): "  service \(service) failed: \(reason)"
        case .checkResult(let result):
            result.passed ? "  check \(result.check): ok (\(result.seen))" : "  check \(result.check): FAILED: expected \(result.expected), saw \(result.seen)"
        case .rollbackStarted(_, let services): "rolling back \(services.count) service\(services.count == 1 ? "" : "s") changed by this run: \(services.joined(separator: ", "))"
        case .rollbackStep(let service, let action): "  \(action) service \(service)"
        case .rollbackFinished(let services, let seconds): "rolled back: \(services.joined(separator: ", ")) (\(String(format: "%.1f", seconds))s)"
        case .warning(let text): "warning: \(text)"
        case .note(let text): "note: \(text)"
        }
    }
}

private func pastTense(_ action: PlannedChange.Action) -> String {
    switch action {
    case .create: "created"
    case .update: "updated"
    case .delete: "removed"
    }
}

/// The NDJSON form of an event: `{"event": "...", ...}`.
struct EventRecord: Encodable {
    var event: String
    /// When the event happened, RFC 3339 UTC with milliseconds (for timelines and latency measurements).
    var time: String = EventRecord.timestamp(Date())
    var layer: String?
    var resource: String?
    var action: String?
    var dockerName: String?
    var seconds: Double?
    var message: String?
    var converged: Int?
    var total: Int?
    var pending: [String]?
    var taskErrors: [String]?
    var logLines: [String]?
    var services: [ServiceLine]?
    var expected: String?
    var seen: String?

    /// One service in a `service-progress` event.
    struct ServiceLine: Encodable {
        var service: String
        var running: Int
        var desired: Int
        var phase: String
        var reason: String?

        init(_ status: ServiceConvergence) {
            service = status.dockerName
            running = status.runningTasks
            desired = status.desiredTasks
            switch status.phase {
            case .converged: phase = "converged"
            case .progressing: phase = "progressing"
            case .failed(let why):
                phase = "failed"
                reason = why
            }
        }
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    init(_ event: ApplyEvent) {
        self.event = ""
        switch event {
        case .layerStarted(let layer, let changes):
            self.event = "layer-started"
            self.layer = layer
            self.total = changes
        case .changeStarted(let change):
            self.event = "change-started"
            set(change)
        case .changeSucceeded(let change, let seconds):
            self.event = "change-succeeded"
            set(change)
            self.seconds = seconds
        case .changeFailed(let change, let message):
            self.event = "change-failed"
            set(change)
            self.message = message
        case .waiting(let layer, let converged, let total, let pending):
            self.event = "waiting"
            self.layer = layer
            self.converged = converged
            self.total = total
            self.pending = pending
        case .serviceProgress(let layer, let services):
            self.event = "service-progress"
            self.layer = layer
            self.services = services.map(ServiceLine.init)
        case .layerSucceeded(let layer, let seconds):
            self.event = "layer-succeeded"
            self.layer = layer
            self.seconds = seconds
        case .layerFailed(let layer, let message):
            self.event = "layer-failed"
            self.layer = layer
            self.message = message
        case .serviceFailed(let service, let reason, let diagnosis):
            self.event = "service-failed"
            self.resource = service
            self.message = reason
            self.taskErrors = diagnosis.taskErrors
            self.logLines = diagnosis.logLines
        case .checkResult(let result):
            self.event = result.passed ? "check-passed" : "check-failed"
            self.layer = result.layer
            self.resource = result.check
            self.expected = result.expected
            self.seen = result.seen
        case .rollbackStarted(let cause, let services):
            self.event = "rollback-started"
            self.message = cause
            self.pending = services
        case .rollbackStep(let service, let action):
            self.event = "rollback-step"
            self.resource = service
            self.action = action
        case .rollbackFinished(let services, let seconds):
            self.event = "rollback-finished"
            self.pending = services
            self.seconds = seconds
        case .warning(let text):
            self.event = "warning"
            self.message = text
        case .note(let text):
            self.event = "note"
            self.message = text
        }
    }

    private mutating func set(_ change: PlannedChange) {
        layer = change.layer
        resource = change.resource.description
        action = change.action.rawValue
        dockerName = change.dockerName
    }
}
