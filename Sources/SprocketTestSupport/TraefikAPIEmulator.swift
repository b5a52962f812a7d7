import Foundation
import Synchronization

/// An in-process stand-in for Traefik's HTTP API (v2.11 and v3.x), serving the documented JSON for a table of
/// routers, services and middlewares given as Swift values (docs/wire-formats.md §3.6, §5).
///
/// It serves `GET /api/http/{routers,services,middlewares}` (paged with `page`/`per_page` and `X-Next-Page`
/// exactly as Traefik does), the single-resource forms `/api/http/{routers,services,middlewares}/{name}`,
/// `/api/overview`, `/api/version` and `/ping`. Like Traefik it derives what a provider's raw definitions become:
/// a router whose service or middleware does not exist is `disabled` with Traefik's error text, a router defined
/// twice differently disappears (and ``log`` says so), services get `usedBy`. Names inside a router (service,
/// middlewares) are served as the table gives them, as the runtime holds them.
///
/// The table can be replaced while running, or scheduled to appear from the N-th read of the router list, to
/// emulate Traefik's Swarm provider picking services up on its next poll.
public final class TraefikAPIEmulator: Sendable {
    private struct State {
        var table: Table
        var scheduled: [(fromRead: Int, table: Table)] = []
        var routerListReads = 0
        var requiredAuthorization: String?
        var isTerminating = false
        var log: [String] = []
    }

    private let server: StubHTTPServer
    private let state: Mutex<State>
    /// Which Traefik version is emulated.
    public let flavor: Flavor
    /// The version `/api/version` reports.
    public let version: String
    private let startDate: String

    /// `http://127.0.0.1:PORT`: the emulated `traefik` entry point.
    public var baseURL: String { server.baseURL ?? "" }
    /// Every request received, in order.
    public var requests: [StubHTTPServer.Request] { server.requests }
    /// Traefik's log lines for what the emulator dropped (routers defined twice differently).
    public var log: [String] { state.withLock { $0.log } }
    /// How many times the router list has been read (first pages only: one paged walk counts once).
    public var routerListReads: Int { state.withLock { $0.routerListReads } }

    private init(server: StubHTTPServer, state: State, flavor: Flavor, version: String, startDate: String) {
        self.server = server
        self.state = Mutex(state)
        self.flavor = flavor
        self.version = version
        self.startDate = startDate
    }

    /// Starts an emulator on a free loopback port.
    ///
    /// - Parameters:
    ///   - table: What the providers defined.
    ///   - flavor: The Traefik version whose JSON shape is served (v3.6 by default).
    ///   - version: The text of `/api/version`'s `Version`.
    public static func start(
        table: Table = Table(), flavor: Flavor = .v3(6), version: String? = nil
    ) async throws -> TraefikAPIEmulator {
        let box = HandlerBox()
        let server = try await StubHTTPServer.start(on: .tcp()) { request in box.handle(request) }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let emulator = TraefikAPIEmulator(
            server: server, state: State(table: table), flavor: flavor, version: version ?? "\(flavor.major).\(flavor.minor).0",
            startDate: formatter.string(from: Date()))
        box.set(emulator)
        return emulator
    }

    /// Stops the server.
    public func shutdown() async throws {
        try await server.shutdown()
    }

    /// Replaces the table now.
    public func replaceTable(with table: Table) {
        state.withLock { $0.table = table }
    }

    /// Makes `table` current from the `read`-th read of the router list on (1 = the next first read), as a
    /// provider poll would: reads before that still see the old table.
    public func schedule(_ table: Table, fromRouterListRead read: Int) {
        state.withLock { $0.scheduled.append((read, table)) }
    }

    /// Demands `Authorization: <value>` on every request (a forward-auth or basic-auth guard); nil removes it.
    public func requireAuthorization(_ value: String?) {
        state.withLock { $0.requiredAuthorization = value }
    }

    /// Makes `/ping` answer as a Traefik shutting down does (503 `Service Unavailable`).
    public func setTerminating(_ terminating: Bool) {
        state.withLock { $0.isTerminating = terminating }
    }

    /// The current table.
    public var table: Table { state.withLock { $0.table } }

    /// Answers one request.
    func handle(_ request: StubHTTPServer.Request) -> StubHTTPServer.Response {
        guard request.method == "GET" || request.method == "HEAD" else { return Self.notFound }
        let path = request.path
        let (table, terminating, authorized) = state.withLock { state -> (Table, Bool, Bool) in
            let authorized = state.requiredAuthorization.map { request.header("Authorization") == $0 } ?? true
            if authorized, path == "/api/http/routers", (request.query["page"] ?? "1") == "1" {
                state.routerListReads += 1
                let due = state.scheduled.filter { $0.fromRead <= state.routerListReads }
                if let latest = due.max(by: { $0.fromRead < $1.fromRead }) { state.table = latest.table }
                state.scheduled.removeAll { $0.fromRead <= state.routerListReads }
            }
            return (state.table, state.isTerminating, authorized)
        }
        guard authorized else { return .text("401 Unauthorized\n", status: 401, headers: [("WWW-Authenticate", "Basic realm=\"traefik\"")]) }
        if path == "/ping" {
            return terminating ? .text("Service Unavailable", status: 503) : .text("OK")
        }
        let runtime = Self.runtime(for: table, flavor: flavor)
        state.withLock { $0.log = runtime.log }
        return route(path, query: request.query, runtime: runtime, table: table)
    }

    private func route(
        _ path: String, query: [String: String], runtime: Runtime, table: Table
    ) -> StubHTTPServer.Response {
        switch path {
        case "/api/version":
            return Self.json(.object([
                ("Version", .string(version)), ("Codename", .string("emulated")), ("startDate", .string(startDate)),
            ]))
        case "/api/overview":
            return Self.json(Self.overviewJSON(runtime, providers: table.providers ?? [flavor.swarmProviderTitle]))
        case "/api/http/routers":
            return Self.page(runtime.routers, query: query)
        case "/api/http/services":
            return Self.page(runtime.services, query: query)
        case "/api/http/middlewares":
            return Self.page(runtime.middlewares, query: query)
        default:
            for (prefix, kind, items) in [
                ("/api/http/routers/", "router", runtime.routers), ("/api/http/services/", "service", runtime.services),
                ("/api/http/middlewares/", "middleware", runtime.middlewares),
            ] where path.hasPrefix(prefix) {
                let escaped = String(path.dropFirst(prefix.count))
                let name = escaped.removingPercentEncoding ?? escaped
                guard let item = items[name] else { return Self.apiError("\(kind) not found: \(name)", status: 404) }
                return Self.json(item)
            }
            return Self.notFound
        }
    }
}

/// Lets the server's handler reach the emulator created after the server started.
private final class HandlerBox: Sendable {
    private let emulator = Mutex<TraefikAPIEmulator?>(nil)

    func set(_ value: TraefikAPIEmulator) { emulator.withLock { $0 = value } }

    func handle(_ request: StubHTTPServer.Request) -> StubHTTPServer.Response {
        guard let target = emulator.withLock({ $0 }) else { return .text("starting", status: 503) }
        return target.handle(request)
    }
}
