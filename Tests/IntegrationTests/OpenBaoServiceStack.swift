import SprocketTestSupport

/// A two-layer test stack whose `edge` runs real OpenBao through `vault.server` (raft on a named volume, its API
/// published on a loopback port) and whose `app` runs one sleeping busybox service, `app-svc`.
enum OpenBaoServiceStack {
    /// Writes the stack; `vault` adds keys under `vault:` (indented two spaces), e.g. policies, tokens, unsealer;
    /// `top` adds top-level keys of stack.yaml (e.g. `secrets:`).
    static func write(_ stack: SwarmTestStack, image: String, port: Int, keyFile: String, vault: String = "", top: String = "") throws {
        try stack.write("stack.yaml", """
            stack: {{stack}}
            vault:
              address: http://127.0.0.1:\(port)
              key_file: \(keyFile)
              layer: edge
              mounts: [platform]
            \(vault)
              server:
                image: \(image)
                network: vault
                publish: \(port)
                storage: {raft: {volume: vault-data}}
                endpoint_mode: dnsrr
            \(top)
            layers: [edge, app]
            """)
        try stack.write("edge.yaml", "networks:\n  vault: {driver: overlay}\n")
        try stack.write("app.yaml", """
            needs: [edge]
            services:
              app-svc:
                image: sprocket-local/busybox:latest
                command: ["sleep", "100000"]
                stop_grace_period: 1s
                deploy: { endpoint_mode: dnsrr }
            """)
    }
}
