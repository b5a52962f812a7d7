import DockerEngine
import Foundation
import SprocketCore

/// The checks of `doctor`, each read-only. The lead adds more checks here.
struct DoctorChecks {
    let runtime: CommandRuntime

    /// The folder the spec is in (`-f` names a folder or a file), for the git scan.
    var specDirectory: String {
        let path = runtime.options.file ?? FileManager.default.currentDirectoryPath
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return path }
        return URL(fileURLWithPath: path).deletingLastPathComponent().path
    }

    func spec() -> DoctorCheckResult {
        do {
            let stack = try SpecLoader(processEnvironment: runtime.environment).load(path: runtime.options.file, environment: runtime.options.environment)
            return DoctorCheckResult(name: "spec", status: .ok, message: "\(stack.name)/\(stack.environment) is valid (\(stack.layers.count) layers)")
        } catch {
            return DoctorCheckResult(
                name: "spec", status: .fail, message: "the spec does not validate", hint: "run `sprocketctl validate` and fix each problem it lists",
                details: error.diagnostics.map(\.description))
        }
    }

    func gitLeaks() -> DoctorCheckResult {
        let name = "git-secrets"
        guard let workTree = GitSecretScan.workTree(containing: specDirectory) else {
            return DoctorCheckResult(name: name, status: .warn, message: "\(specDirectory) is not in a git work tree: nothing to scan")
        }
        let findings: [GitSecretScan.Finding]
        do {
            findings = try GitSecretScan(workTree: workTree).run()
        } catch {
            return DoctorCheckResult(name: name, status: .fail, message: "the git scan of \(workTree) failed: \(error)",
                                     hint: "check that `git` is installed and `git -C \(workTree) log` works")
        }
        let certain = findings.filter(\.isKnownFormat)
        if !certain.isEmpty {
            return DoctorCheckResult(
                name: name, status: .fail, message: "\(certain.count) secret(s) found in \(workTree) (tracked files or history)",
                hint: "rotate every credential listed (it is compromised once pushed), move it to `secrets:` (`local:`, a file, Doppler or "
                    + "the environment), then remove it from history (git filter-repo) and keep state and key files out of git (.gitignore)",
                details: (certain + findings.filter { !$0.isKnownFormat }).map(\.description))
        }
        if !findings.isEmpty {
            return DoctorCheckResult(
                name: name, status: .warn, message: "\(findings.count) random-looking value(s) assigned in \(workTree): check that none is a secret",
                hint: "if one is a credential, rotate it and move it to `secrets:`", details: findings.map(\.description))
        }
        return DoctorCheckResult(name: name, status: .ok, message: "no keys or tokens in the tracked files or history of \(workTree)")
    }

    func docker() async -> DoctorCheckResult {
        let name = "docker"
        let endpoint: DockerEndpoint
        do {
            endpoint = try DockerEndpoint.fromEnvironment(runtime.environment)
        } catch {
            return DoctorCheckResult(name: name, status: .fail, message: "DOCKER_HOST is not usable: \(error)", hint: "set DOCKER_HOST to unix:///path or tcp://host:port")
        }
        let client = DockerClient(endpoint: endpoint, requestTimeout: .seconds(10), logger: runtime.logger)
        do {
            _ = try await client.negotiateVersion()
            let info = try await client.info()
            try? await client.shutdown()
            guard info.swarm?.isActive == true else {
                return DoctorCheckResult(
                    name: name, status: .fail, message: "the daemon at \(endpoint) is not in swarm mode (state: \(info.swarm?.localNodeState ?? "unknown"))",
                    hint: "run `docker swarm init` on this node, or point DOCKER_HOST at a swarm manager")
            }
            return DoctorCheckResult(name: name, status: .ok, message: "the daemon at \(endpoint) is reachable and in swarm mode")
        } catch {
            try? await client.shutdown()
            return DoctorCheckResult(
                name: name, status: .fail, message: "the daemon at \(endpoint) is not reachable: \(error)",
                hint: "start dockerd, or set DOCKER_HOST to the daemon's socket or address")
        }
    }
}
