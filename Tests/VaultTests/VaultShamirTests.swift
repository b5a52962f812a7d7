import Testing
@testable import SprocketTestSupport

@Suite("Vault Shamir secret sharing over GF(256)")
struct VaultShamirTests {
    @Test("GF(256) table multiplication agrees with carry-less multiplication for every pair")
    func multiplicationTables() {
        for a in 0...255 {
            for b in 0...255 {
                let fast = GF256.multiply(UInt8(a), UInt8(b))
                guard fast == GF256.slowMultiply(UInt8(a), UInt8(b)) else {
                    Issue.record("multiply(\(a), \(b)) disagrees")
                    return
                }
                if b != 0 { #expect(GF256.divide(fast, UInt8(b)) == UInt8(a) || a == 0) }
            }
        }
    }

    @Test("any threshold of the shares recovers the secret", arguments: [(2, 2), (3, 2), (5, 3), (6, 4), (7, 7)])
    func anyThresholdSubsetRecovers(shares: Int, threshold: Int) throws {
        let secret = (0..<32).map { _ in UInt8.random(in: 0...255) }
        let parts = try ShamirSecretSharing.split(secret, parts: shares, threshold: threshold)
        #expect(parts.count == shares)
        #expect(parts.allSatisfy { $0.count == 33 })
        #expect(Set(parts.map { $0[32] }).count == shares, "x coordinates are distinct")
        for subset in combinations(of: Array(0..<shares), size: threshold) {
            #expect(try ShamirSecretSharing.combine(subset.map { parts[$0] }) == secret)
        }
        // More than the threshold works too.
        #expect(try ShamirSecretSharing.combine(parts) == secret)
    }

    @Test("fewer shares than the threshold give something other than the secret", arguments: [(5, 3), (6, 4), (5, 5)])
    func fewerSharesDoNotRecover(shares: Int, threshold: Int) throws {
        let secret = (0..<32).map { _ in UInt8.random(in: 0...255) }
        let parts = try ShamirSecretSharing.split(secret, parts: shares, threshold: threshold)
        for subset in combinations(of: Array(0..<shares), size: threshold - 1) {
            #expect(try ShamirSecretSharing.combine(subset.map { parts[$0] }) != secret)
        }
    }

    @Test("a share from another split gives a wrong secret, not an error")
    func foreignShareGivesWrongSecret() throws {
        let secret = (0..<32).map { _ in UInt8.random(in: 0...255) }
        let parts = try ShamirSecretSharing.split(secret, parts: 5, threshold: 3)
        let other = try ShamirSecretSharing.split(secret.map { $0 ^ 0x5a }, parts: 5, threshold: 3)
        let mixed = [parts[0], parts[1]] + other.filter { ![parts[0][32], parts[1][32]].contains($0[32]) }.prefix(1)
        #expect(try ShamirSecretSharing.combine(Array(mixed)) != secret)
    }

    @Test("the same share twice is rejected as a duplicate part")
    func duplicatePartRejected() throws {
        let parts = try ShamirSecretSharing.split(Array("root key".utf8), parts: 3, threshold: 2)
        #expect(throws: ShamirSecretSharing.Failure.invalidParts("duplicate part detected")) {
            try ShamirSecretSharing.combine([parts[0], parts[0]])
        }
    }

    @Test("malformed inputs are refused", arguments: [
        ([[UInt8]]([[1, 2]]), "less than two parts cannot be used to reconstruct the secret"),
        ([[1, 2], [1, 2, 3]], "all parts must be the same length"),
        ([[1], [2]], "parts must be at least two bytes"),
    ])
    func malformedParts(parts: [[UInt8]], message: String) {
        #expect(throws: ShamirSecretSharing.Failure.invalidParts(message)) { try ShamirSecretSharing.combine(parts) }
    }

    @Test("split parameters are checked", arguments: [(2, 3), (256, 3), (5, 1)])
    func badSplitParameters(parts: Int, threshold: Int) {
        #expect(throws: ShamirSecretSharing.Failure.self) {
            try ShamirSecretSharing.split([1, 2, 3], parts: parts, threshold: threshold)
        }
    }

    private func combinations(of items: [Int], size: Int) -> [[Int]] {
        guard size > 0 else { return [[]] }
        guard let first = items.first else { return [] }
        let rest = Array(items.dropFirst())
        return combinations(of: rest, size: size - 1).map { [first] + $0 } + combinations(of: rest, size: size)
    }
}
