import SprocketCore

/// Maps engine errors onto the core's error with a remedy, keeping the daemon's own message verbatim.
enum DockerErrorTranslation {
    static func sprocketError(
        _ error: DockerClientError, operation: String, subject: String?, endpoint: DockerEndpoint
    ) -> SprocketError {
        switch error {
        case .daemonUnreachable:
            return SprocketError(.engineUnreachable, "\(operation): \(error)", subject: subject)
        default:
            // 503 is the engine saying it cannot serve swarm requests right now: as good as unreachable for a run.
            let hint: String? =
                if error.isConflict {
                    "an object with this name already exists but does not carry this stack's labels; remove or rename it, or change the stack/env name"
                } else if error.httpStatus == 503 {
                    "the daemon is not (or not yet) a swarm manager: if dockerd was just restarted, wait until `docker info` "
                        + "shows `Swarm: active` and run again; otherwise run `docker swarm init` (or `scripts/quickstart`), "
                        + "or point DOCKER_HOST at a manager"
                } else {
                    nil
                }
            if error.httpStatus == 503 {
                return SprocketError(
                    .engineUnreachable, "\(operation) failed: the Docker daemon at \(endpoint) answered: \(error)",
                    subject: subject, hint: hint)
            }
            return SprocketError(.engine, "\(operation) failed: \(error)", subject: subject, hint: hint)
        }
    }
}
