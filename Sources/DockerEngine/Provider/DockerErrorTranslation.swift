import SprocketCore

/// Maps engine errors onto the core's error with a remedy, keeping the daemon's own message verbatim.
enum DockerErrorTranslation {
    static func sprocketError(_ error: DockerClientError, operation: String, subject: String?) -> SprocketError {
        switch error {
        case .daemonUnreachable:
            return SprocketError(.engineUnreachable, "\(operation): \(error)", subject: subject)
        default:
            let hint: String? =
                if error.isConflict {
                    "an object with this name already exists but does not carry this stack's labels; remove or rename it, or change the stack/env name"
                } else if error.httpStatus == 503 {
                    "the daemon is not a swarm manager: run `docker swarm init` (or `scripts/quickstart`), or point DOCKER_HOST at a manager"
                } else {
                    nil
                }
            return SprocketError(.engine, "\(operation) failed: \(error)", subject: subject, hint: hint)
        }
    }
}
