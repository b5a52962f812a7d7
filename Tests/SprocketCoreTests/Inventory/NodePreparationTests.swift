import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

@Suite("node bootstrap pieces: daemon.json, host folders, preflight")
struct NodePreparationTests {
    @Test("daemon.json: written when absent, kept when equal, only the log keys changed otherwise")
    func daemonJSON() throws {
        let rotation = DaemonLogRotation(maxSize: "10m", maxFile: 3)
        guard case .update(let fresh, let changes) = try rotation.apply(to: nil, path: "/x/daemon.json") else {
            Issue.record("an absent file must be written")
            return
        }
        #expect(changes.count == 3)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(fresh)) as? [String: Any])
        #expect(object["log-driver"] as? String == "json-file")
        #expect((object["log-opts"] as? [String: String]) == ["max-size": "10m", "max-file": "3"])
        #expect(try rotation.apply(to: fresh, path: "/x/daemon.json") == .unchanged)

        let other = Array(#"{"data-root": "/srv/docker", "log-opts": {"max-size": "100m", "labels": "a"}, "log-driver": "json-file"}"#.utf8)
        guard case .update(let merged, let mergedChanges) = try rotation.apply(to: other, path: "/x/daemon.json") else {
            Issue.record("a different max-size must be rewritten")
            return
        }
        #expect(mergedChanges.sorted() == ["log-opts.max-file: absent -> 3", "log-opts.max-size: 100m -> 10m"])
        let mergedObject = try #require(try JSONSerialization.jsonObject(with: Data(merged)) as? [String: Any])
        #expect(mergedObject["data-root"] as? String == "/srv/docker")
        #expect((mergedObject["log-opts"] as? [String: String])?["labels"] == "a")
    }

    @Test("a daemon.json that is not a JSON object is an error naming the file, never overwritten")
    func daemonJSONInvalid() {
        let error = #expect(throws: SprocketError.self) {
            try DaemonLogRotation().apply(to: Array("[1, 2".utf8), path: "/etc/docker/daemon.json")
        }
        #expect(error?.subject == "/etc/docker/daemon.json")
    }

    @Test("host folders: the spec's bind sources, created once with mode 0750, present the second time; files are binds, never invented")
    func hostDirectories() throws {
        let stack = try InventoryFixtureLoading.load()
        #expect(HostDirectories.required(by: stack) == ["/srv/inv/traefik-logs"])
        let folder = try TemporaryDirectory(prefix: "host-dirs")
        defer { folder.remove() }
        let path = "\(folder.path)/a/b"
        #expect(try HostDirectories.ensure(path, dryRun: true) == .wouldCreate)
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try HostDirectories.ensure(path, dryRun: false) == .created)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)
        #expect(mode.uint16Value & 0o777 == 0o750)
        #expect(try HostDirectories.ensure(path, dryRun: false) == .present)
        try folder.write("docker.sock", "x")
        #expect(try HostDirectories.ensure("\(folder.path)/docker.sock", dryRun: false) == .present, "an existing file or socket is a file bind")
        let missingFile = #expect(throws: SprocketError.self) { try HostDirectories.ensure("\(folder.path)/app.conf", dryRun: false) }
        #expect(missingFile?.message.contains("looks like a file") == true)
        #expect(!FileManager.default.fileExists(atPath: "\(folder.path)/app.conf"), "no folder where a file was meant")
    }

    @Test("Docker version: 20.10 and later pass", arguments: [
        ("20.10.24", NodePreflight.Finding.Status.ok), ("24.0.7", .ok), ("19.03.15", .failed), ("20.9.1", .failed), ("garbage", .failed),
    ])
    func dockerVersion(version: String, status: NodePreflight.Finding.Status) {
        #expect(NodePreflight().dockerVersion(version).status == status)
    }

    @Test("a port held by a listener is reported in use; a free one is free")
    func ports() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr = in_addr(s_addr: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
        #expect(listen(listener, 1) == 0)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let busy = NodePreflight().portFree(port)
        #expect(busy.status == .failed && busy.detail == "in use")
        #expect(NodePreflight().portFree(0).status == .ok)
    }

    @Test("disk space below the minimum fails, above passes")
    func diskSpace() {
        #expect(NodePreflight().diskSpace(at: "/tmp", minimumBytes: 1).status == .ok)
        #expect(NodePreflight().diskSpace(at: "/tmp", minimumBytes: UInt64.max / 2).status == .failed)
    }

    @Test("IPVS: found through /proc/net/ip_vs, /sys/module/ip_vs or /proc/modules; missing explains dnsrr")
    func ipvs() throws {
        let folder = try TemporaryDirectory(prefix: "ipvs")
        defer { folder.remove() }
        let preflight = NodePreflight(procRoot: "\(folder.path)/proc", sysRoot: "\(folder.path)/sys")
        let missing = preflight.ipvs()
        #expect(missing.status == .warning && missing.hint?.contains("endpoint_mode: dnsrr") == true)
        try folder.write("proc/modules", "ip_vs 176128 0 - Live 0x0000000000000000\n")
        #expect(preflight.ipvs().status == .ok)
        try FileManager.default.removeItem(atPath: "\(folder.path)/proc/modules")
        try folder.write("proc/net/ip_vs", "IP Virtual Server version 1.2.1\n")
        #expect(preflight.ipvs().status == .ok)
    }
}
