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
            // Someone else's work: a name taken since the plan was made, or a service changed since it was read
            // (Swarm refuses a stale version). The applier never rolls such an object back.
            if error.isConflict || String(describing: error).contains("update out of sequence") {
                return SprocketError(
                    .conflict, "\(operation) failed: \(error)", subject: subject,
                    hint: hint ?? "the service changed since this run read it (another run or a `docker service update`): run `plan` and `up` again")
            }
            return SprocketError(.engine, "\(operation) failed: \(error)", subject: subject, hint: hint)
        }
    }
}
