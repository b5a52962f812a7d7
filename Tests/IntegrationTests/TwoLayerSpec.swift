/// A small two-layer stack used by several integration tests: `{{stack}}` is replaced by the test's stack name.
enum TwoLayerSpec {
    static func stackYAML(bluePort: Int, greenPort: Int) -> String {
        """
        stack: {{stack}}
        settings:
          port: \(bluePort)
          api_image: sprocket-local/web:1
        environments:
          blue:
            settings:
              port: \(bluePort)
          green:
            settings:
              port: \(greenPort)
        default_environment: blue
        layers: [base, app]
        """
    }

    /// The `api` service, written once and used by both variants of the base layer.
    private static let apiService = """
          api:
            image: ${api_image}
            command: ["httpd", "-f", "-p", "8080", "-h", "/"]
            networks: [backend]
            secrets: [token]
            configs:
              - source: motd
                target: /motd
            ports:
              - target: 8080
                published: ${port}
                mode: host
            stop_grace_period: 1s
            deploy:
              endpoint_mode: dnsrr
              update_config:
                order: stop-first
        """

    private static let workerService = """
          worker:
            image: sprocket-local/busybox:latest
            command: ["sh", "-c", "sleep 100000"]
            networks: [backend, extra]
            secrets: [token]
            configs:
              - source: worker-conf
                target: /etc/worker.conf
            stop_grace_period: 1s
            deploy:
              endpoint_mode: dnsrr
        """

    private static func baseLayer(withWorker: Bool) -> String {
        """
        timeout: 90s
        networks:
          backend:
            driver: overlay
        \(withWorker ? "  extra:\n    driver: overlay\n" : "")configs:
          motd:
            content: "hello from ${env}"
        \(withWorker ? "  worker-conf:\n    content: \"interval=5\"\n" : "")secrets:
          token:
            environment: IT_TOKEN
        services:
        \(apiService)
        \(withWorker ? workerService : "")
        """
    }

    static let base = baseLayer(withWorker: true)

    /// `base` without the worker, its network and its config.
    static let baseWithoutWorker = baseLayer(withWorker: false)

    static let app = """
        needs: [base]
        timeout: 90s
        services:
          front:
            image: sprocket-local/busybox:latest
            command: ["sh", "-c", "sleep 100000"]
            networks: [backend]
            stop_grace_period: 1s
            deploy:
              endpoint_mode: dnsrr
        """

    static func write(to stack: some SwarmTestStackWriting, bluePort: Int, greenPort: Int) throws {
        try stack.write("stack.yaml", stackYAML(bluePort: bluePort, greenPort: greenPort))
        try stack.write("base.yaml", base)
        try stack.write("app.yaml", app)
    }
}

/// What ``TwoLayerSpec/write(to:bluePort:greenPort:)`` needs (keeps the spec independent of the fixture type).
protocol SwarmTestStackWriting {
    func write(_ relativePath: String, _ content: String) throws
}
