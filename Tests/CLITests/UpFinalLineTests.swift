import Testing

@testable import SprocketCLI

@Suite("up's last human line counts the mutating Docker and Vault calls")
struct UpFinalLineTests {
    @Test("a rerun with nothing to do, a converged run, and a run that changed Vault but planned nothing", arguments: [
        (nil, 0, 0, "up: no changes: 0 mutating Docker calls, 0 mutating Vault calls"),
        ("web/prod converged (3 changes, run r1)", 12, 1, "up: web/prod converged (3 changes, run r1): 12 mutating Docker calls, 1 mutating Vault call"),
        (nil, 0, 3, "up: nothing left to apply: 0 mutating Docker calls, 3 mutating Vault calls"),
        (nil, 1, 0, "up: nothing left to apply: 1 mutating Docker call, 0 mutating Vault calls"),
    ] as [(String?, Int, Int, String)])
    func line(converged: String?, docker: Int, vault: Int, expected: String) {
        #expect(UpFinalLine.describe(converged: converged, docker: docker, vault: vault) == expected)
    }
}
