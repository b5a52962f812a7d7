import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A loopback TCP proxy in front of an ``OpenBaoServer`` that kills the server (SIGKILL, as a crash or an OOM kill
/// would) at an exact point of a client's run: when the `count`-th request whose bytes contain `trigger` (e.g.
/// `"POST /v1/platform/data/"`) arrives. That request is never forwarded, its connection is dropped without an
/// answer, and the proxy stops listening, so every later connection is refused, as it would be by the dead server
/// itself. ``resume()`` listens again on the same port once the server is back.
///
/// Bytes are relayed untouched (no HTTP parsing): a trigger split across two reads is missed, which the small,
/// single-write requests of the Vault client never are.
public final class OpenBaoKillSwitchProxy: Sendable {
    /// The proxy's port on 127.0.0.1.
    public let port: Int
    private let server: OpenBaoServer
    private let state: Mutex<State>

    private struct State {
        var listener: Int32 = -1
        var trigger: String?
        var remaining = 0
        var fired = false
    }

    /// `http://127.0.0.1:PORT`: give this to the code under test as Vault's address.
    public var address: String { "http://127.0.0.1:\(port)" }

    /// Whether the server was killed.
    public var fired: Bool { state.withLock { $0.fired } }

    private init(server: OpenBaoServer, port: Int) {
        self.server = server
        self.port = port
        self.state = Mutex(State())
    }

    /// Starts relaying to `server`; nothing is armed yet.
    public static func start(in front: OpenBaoServer) throws -> OpenBaoKillSwitchProxy {
        let proxy = OpenBaoKillSwitchProxy(server: front, port: try FreePort.loopbackTCP())
        try proxy.resume()
        return proxy
    }

    /// Kills the server when the `count`-th request containing `trigger` passes.
    public func arm(trigger: String, count: Int) {
        state.withLock {
            $0.trigger = trigger
            $0.remaining = count
            $0.fired = false
        }
    }

    /// Listens (again) on the same port and relays to the server.
    public func resume() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw OpenBaoServerError("proxy: socket() failed: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, 64) == 0 else {
            close(descriptor)
            throw OpenBaoServerError("proxy: cannot listen on 127.0.0.1:\(port): errno \(errno)")
        }
        state.withLock {
            $0.listener = descriptor
            $0.trigger = nil
        }
        Thread.detachNewThread { [self] in acceptLoop(descriptor) }
    }

    /// Stops listening; open relays end when either side closes.
    public func stop() {
        let descriptor = state.withLock { current -> Int32 in
            defer { current.listener = -1 }
            return current.listener
        }
        guard descriptor >= 0 else { return }
        shutdown(descriptor, Int32(SHUT_RDWR))
        close(descriptor)
    }

    private func acceptLoop(_ listener: Int32) {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }  // closed by stop()
            Thread.detachNewThread { [self] in relay(client) }
        }
    }

    private func relay(_ client: Int32) {
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = Self.loopback(server.port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard upstream >= 0, connected == 0 else {
            if upstream >= 0 { close(upstream) }
            close(client)
            return
        }
        // The descriptors are closed only once both directions are done, so no thread ever touches a number the
        // kernel has already handed to another connection.
        let pumpDone = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            Self.pump(from: upstream, to: client)
            shutdown(client, Int32(SHUT_RDWR))
            pumpDone.signal()
        }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(client, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            if shouldKill(String(decoding: buffer[0..<count], as: UTF8.self)) {
                if let pid = server.processIdentifier { kill(pid, SIGKILL) }
                stop()
                break
            }
            guard Self.writeAll(buffer[0..<count], to: upstream) else { break }
        }
        shutdown(upstream, Int32(SHUT_RDWR))
        shutdown(client, Int32(SHUT_RDWR))
        pumpDone.wait()
        close(upstream)
        close(client)
    }

    /// Counts the trigger's occurrences; true when this chunk is the one that must not pass.
    private func shouldKill(_ text: String) -> Bool {
        state.withLock { state in
            guard let trigger = state.trigger, !state.fired else { return false }
            let hits = text.components(separatedBy: trigger).count - 1
            guard hits > 0 else { return false }
            state.remaining -= hits
            guard state.remaining <= 0 else { return false }
            state.fired = true
            return true
        }
    }

    private static func pump(from source: Int32, to destination: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            guard count > 0, writeAll(buffer[0..<count], to: destination) else { return }
        }
    }

    private static func writeAll(_ bytes: ArraySlice<UInt8>, to descriptor: Int32) -> Bool {
        var rest = bytes
        while !rest.isEmpty {
            let written = rest.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { return false }
            rest = rest.dropFirst(written)
        }
        return true
    }

    private static func loopback(_ port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}
