/// Shamir's secret sharing over GF(2^8), the scheme Vault uses for unseal keys.
///
/// Each share is the polynomial's values for every secret byte followed by one byte, the x coordinate
/// (1…255, distinct per share), so a 32-byte root key gives 33-byte shares as in Vault. Any `threshold` shares
/// give the secret back by Lagrange interpolation at x = 0; fewer give unrelated bytes, and nothing tells the
/// two apart: Vault notices a wrong key only when the combined key fails to decrypt its keyring.
public enum ShamirSecretSharing {
    /// Why a split or combine was refused (the texts follow Vault's `shamir` package).
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case invalidParameters(String)
        case invalidParts(String)

        public var description: String {
            switch self {
            case .invalidParameters(let text), .invalidParts(let text): text
            }
        }
    }

    /// Splits `secret` into `parts` shares, any `threshold` of which recover it.
    ///
    /// - Throws: ``Failure/invalidParameters(_:)`` unless 2 ≤ threshold ≤ parts ≤ 255 and the secret is not empty.
    public static func split<R: RandomNumberGenerator>(
        _ secret: [UInt8], parts: Int, threshold: Int, using generator: inout R
    ) throws -> [[UInt8]] {
        guard parts >= threshold else { throw Failure.invalidParameters("parts cannot be less than threshold") }
        guard parts <= 255 else { throw Failure.invalidParameters("parts cannot exceed 255") }
        guard threshold >= 2 else { throw Failure.invalidParameters("threshold must be at least 2") }
        guard !secret.isEmpty else { throw Failure.invalidParameters("cannot split an empty secret") }
        let xCoordinates = Array((1...255).map { UInt8($0) }.shuffled(using: &generator).prefix(parts))
        var shares = xCoordinates.map { _ in [UInt8]() }
        for byte in secret {
            // A random polynomial of degree threshold-1 whose constant term is the secret byte.
            let coefficients = [byte] + (1..<threshold).map { _ in UInt8.random(in: 0...255, using: &generator) }
            for (index, x) in xCoordinates.enumerated() {
                shares[index].append(evaluate(coefficients, at: x))
            }
        }
        for index in shares.indices { shares[index].append(xCoordinates[index]) }
        return shares
    }

    /// Splits with the system's cryptographic random number generator.
    public static func split(_ secret: [UInt8], parts: Int, threshold: Int) throws -> [[UInt8]] {
        var generator = SystemRandomNumberGenerator()
        return try split(secret, parts: parts, threshold: threshold, using: &generator)
    }

    /// Recombines shares into the secret. With fewer than the threshold (or foreign shares) the result is
    /// simply wrong; only malformed input throws.
    ///
    /// - Throws: ``Failure/invalidParts(_:)`` for fewer than two parts, parts of different or too short
    ///   lengths, or two parts with the same x coordinate.
    public static func combine(_ parts: [[UInt8]]) throws -> [UInt8] {
        guard parts.count >= 2 else { throw Failure.invalidParts("less than two parts cannot be used to reconstruct the secret") }
        let length = parts[0].count
        guard length >= 2 else { throw Failure.invalidParts("parts must be at least two bytes") }
        guard parts.allSatisfy({ $0.count == length }) else { throw Failure.invalidParts("all parts must be the same length") }
        let xs = parts.map { $0[length - 1] }
        guard Set(xs).count == xs.count else { throw Failure.invalidParts("duplicate part detected") }
        var secret = [UInt8](repeating: 0, count: length - 1)
        for byteIndex in 0..<(length - 1) {
            var value: UInt8 = 0
            for (i, part) in parts.enumerated() {
                // Lagrange basis at x = 0: product of x_j / (x_j - x_i); subtraction is XOR in GF(2^8).
                var basis: UInt8 = 1
                for (j, xj) in xs.enumerated() where j != i {
                    basis = GF256.multiply(basis, GF256.divide(xj, xj ^ xs[i]))
                }
                value ^= GF256.multiply(part[byteIndex], basis)
            }
            secret[byteIndex] = value
        }
        return secret
    }

    /// Horner's rule in GF(2^8).
    static func evaluate(_ coefficients: [UInt8], at x: UInt8) -> UInt8 {
        coefficients.reversed().reduce(0) { GF256.multiply($0, x) ^ $1 }
    }
}

/// Arithmetic in GF(2^8) with the AES polynomial x^8 + x^4 + x^3 + x + 1, through log/exp tables of generator 3.
enum GF256 {
    static let tables: (log: [UInt8], exp: [UInt8]) = {
        var log = [UInt8](repeating: 0, count: 256)
        var exp = [UInt8](repeating: 0, count: 510)
        var value: UInt8 = 1
        for power in 0..<255 {
            exp[power] = value
            log[Int(value)] = UInt8(power)
            value = slowMultiply(value, 3)
        }
        for power in 255..<510 { exp[power] = exp[power - 255] }
        return (log, exp)
    }()

    /// Carry-less multiplication reduced by the AES polynomial (used to build the tables, and by tests).
    static func slowMultiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var a = a
        var b = b
        var product: UInt8 = 0
        while b != 0 {
            if b & 1 != 0 { product ^= a }
            let carry = a & 0x80
            a <<= 1
            if carry != 0 { a ^= 0x1b }
            b >>= 1
        }
        return product
    }

    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        guard a != 0, b != 0 else { return 0 }
        return tables.exp[Int(tables.log[Int(a)]) + Int(tables.log[Int(b)])]
    }

    /// a / b; b must not be zero (x coordinates never are, and distinct ones never XOR to zero).
    static func divide(_ a: UInt8, _ b: UInt8) -> UInt8 {
        guard a != 0, b != 0 else { return 0 }
        return tables.exp[(Int(tables.log[Int(a)]) - Int(tables.log[Int(b)]) + 255) % 255]
    }
}
