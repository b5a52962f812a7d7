import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The checks `node bootstrap` and `node check` run before a node takes the stack. Each reports what it found and,
/// when it fails or warns, what it means for the stack and what to do.
public struct NodePreflight: Sendable {
    public struct Finding: Sendable, Hashable, Codable {
        public enum Status: String, Sendable, Hashable, Codable {
            case ok
            case warning
            case failed
        }

        public var check: String
        public var status: Status
        public var detail: String
        public var hint: String?

        public init(check: String, status: Status, detail: String, hint: String? = nil) {
            self.check = check
            self.status = status
            self.detail = detail
            self.hint = hint
        }
    }

    /// Major and minor of the oldest engine `node bootstrap` accepts.
    public static let minimumDockerVersion = (20, 10)

    /// Folder holding `net/ip_vs` and `modules` (`/proc`; tests pass their own).
    public var procRoot: String
    /// Folder holding `module/ip_vs` (`/sys`).
    public var sysRoot: String

    public init(procRoot: String = "/proc", sysRoot: String = "/sys") {
        self.procRoot = procRoot
        self.sysRoot = sysRoot
    }

    /// Docker 20.10 or later (older engines lack the Swarm features the tool relies on, e.g. jobs and secret labels).
    public func dockerVersion(_ version: String?) -> Finding {
        guard let version, let parsed = Self.majorMinor(version) else {
            return Finding(check: "docker version", status: .failed, detail: "the engine did not report a version",
                           hint: "check that dockerd answers (`docker version`)")
        }
        let ok = parsed >= Self.minimumDockerVersion
        return Finding(
            check: "docker version", status: ok ? .ok : .failed, detail: "engine \(version)",
            hint: ok ? nil : "upgrade Docker to 20.10 or later (Debian: `apt install docker.io` from bookworm or later)")
    }

    /// Whether TCP `port` can be bound on every address (a free 80/443 is what Traefik's host-mode ports need).
    public func portFree(_ port: Int) -> Finding {
        let check = "port \(port) free"
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else {
            return Finding(check: check, status: .failed, detail: "cannot open a socket (errno \(errno))")
        }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        address.sin_addr = in_addr(s_addr: 0)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result == 0 { return Finding(check: check, status: .ok, detail: "free") }
        let reason = errno == EADDRINUSE ? "in use" : errno == EACCES ? "not bindable by this user (run as root)" : "bind failed (errno \(errno))"
        return Finding(
            check: check, status: errno == EACCES ? .warning : .failed, detail: reason,
            hint: errno == EADDRINUSE ? "stop what listens on \(port) (`ss -ltnp 'sport = :\(port)'`); Traefik must own it" : nil)
    }

    /// Free space on the filesystem of Docker's data root; under `minimumBytes` is a failure.
    public func diskSpace(at path: String, minimumBytes: UInt64) -> Finding {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else {
            return Finding(check: "disk space", status: .failed, detail: "cannot read the filesystem of \(path) (errno \(errno))")
        }
        let free = UInt64(stats.f_bavail) * UInt64(stats.f_frsize)
        let detail = "\(Self.gibibytes(free)) free on \(path)"
        guard free >= minimumBytes else {
            return Finding(check: "disk space", status: .failed, detail: detail,
                           hint: "free space (`docker system prune`, old logs) or grow the disk: at least \(Self.gibibytes(minimumBytes))")
        }
        return Finding(check: "disk space", status: .ok, detail: detail)
    }

    /// Whether the kernel has IPVS, which Swarm's virtual IPs and routing mesh are built on.
    public func ipvs() -> Finding {
        let present = FileManager.default.fileExists(atPath: "\(procRoot)/net/ip_vs")
            || FileManager.default.fileExists(atPath: "\(sysRoot)/module/ip_vs")
            || ((try? String(contentsOfFile: "\(procRoot)/modules", encoding: .utf8))?.split(separator: "\n").contains { $0.hasPrefix("ip_vs ") } ?? false)
        if present { return Finding(check: "IPVS", status: .ok, detail: "present: virtual IPs and the routing mesh work") }
        return Finding(
            check: "IPVS", status: .warning,
            detail: "missing: services with `endpoint_mode: vip` get no working virtual IP, and ports published in `ingress` mode do not answer",
            hint: "load it (`modprobe ip_vs`) where the kernel has it; otherwise give every service `endpoint_mode: dnsrr` and publish ports with `mode: host`")
    }

    static func majorMinor(_ version: String) -> (Int, Int)? {
        let parts = version.split(separator: ".").prefix(2).map { Int($0.prefix { $0.isNumber }) }
        guard parts.count == 2, let major = parts[0], let minor = parts[1] else { return nil }
        return (major, minor)
    }

    static func gibibytes(_ bytes: UInt64) -> String {
        String(format: "%.1f GiB", Double(bytes) / 1_073_741_824)
    }
}
