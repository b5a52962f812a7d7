@testable import SprocketCore
import Testing

/// The leak guard compiles its token patterns once (`SecretLiteralDetector.compiledFormats`) and leaves out one
/// that does not compile; these tests make sure none is left out, and that each still matches its format.
@Suite("Leak guard: compiled token formats")
struct SecretFormatCompilationTests {
    @Test("every known token format compiles")
    func everyFormatCompiles() {
        #expect(SecretLiteralDetector.compiledFormats.count == SecretLiteralDetector.knownFormats.count)
    }

    // Fake values in the shapes of the formats the other suite does not cover (none is a credential).
    @Test("formats not covered elsewhere are recognised by kind", arguments: [
        ("xoxb-1234567890-FAKEfake", "a Slack token"),
        ("sk_live_FAKEfakeFAKEfakeFAKE1234", "a Stripe secret key"),
        ("github_pat_FAKEfakeFAKEfakeFAKEfakeFAKEfakeFAKEfake12", "a GitHub token"),
        ("token=dp.sa.FAKEfakeFAKEfakeFAKEfake", "a Doppler token (dp.*.)"),
    ])
    func recognisedByKind(value: String, kind: String) {
        #expect(SecretLiteralDetector.classify(value, checkEntropy: false) == kind)
    }
}
