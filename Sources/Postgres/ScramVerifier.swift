import Crypto
import _CryptoExtras
import Foundation
import SprocketCore

/// The SCRAM-SHA-256 verifier PostgreSQL stores for a password (`pg_authid.rolpassword`), computed here so that
/// `ALTER ROLE … PASSWORD` carries the verifier and the plaintext never reaches the server's statement logs.
///
/// The server recognises the `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>` form and stores it as is
/// (RFC 5802 / RFC 7677 derivation). The password is used as its UTF-8 bytes; PostgreSQL applies SASLprep to
/// passwords that are valid UTF-8, which leaves ASCII (every generated secret) unchanged.
enum ScramVerifier {
    /// PostgreSQL's default `scram_iterations`.
    static let iterations = 4096

    /// A verifier with a fresh random 16-byte salt.
    static func make(password: SensitiveBytes) throws -> SensitiveBytes {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return try make(password: password, salt: salt, iterations: iterations)
    }

    /// The verifier for a given salt and iteration count (tests compare it with the server's own).
    static func make(password: SensitiveBytes, salt: [UInt8], iterations: Int) throws -> SensitiveBytes {
        let salted = try KDF.Insecure.PBKDF2.deriveKey(
            from: password.bytes, salt: salt, using: .sha256, outputByteCount: 32, unsafeUncheckedRounds: iterations)
        let clientKey = Data(HMAC<SHA256>.authenticationCode(for: Data("Client Key".utf8), using: salted))
        let storedKey = Data(SHA256.hash(data: clientKey))
        let serverKey = Data(HMAC<SHA256>.authenticationCode(for: Data("Server Key".utf8), using: salted))
        let text = "SCRAM-SHA-256$\(iterations):\(Data(salt).base64EncodedString())"
            + "$\(storedKey.base64EncodedString()):\(serverKey.base64EncodedString())"
        return SensitiveBytes(Array(text.utf8))
    }
}
