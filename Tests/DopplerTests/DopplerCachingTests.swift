import Doppler
import Foundation
import SprocketCore
import SprocketTestSupport
import Testing

@Suite("Doppler ETag caching")
struct DopplerCachingTests {
    @Test("the second download sends If-None-Match, gets 304 and returns the same values")
    func notModified() async throws {
        try await withDoppler { emulator, client in
            let first = try await client.download()
            let etag = try #require(first.etag)
            let second = try await client.download()
            #expect(emulator.requests.first?.header("If-None-Match") == nil)
            #expect(emulator.requests.last?.header("If-None-Match") == etag)
            #expect(second.notModified)
            #expect(!first.notModified)
            #expect(second.values == first.values)
            #expect(emulator.downloadCount == 2)
            #expect(emulator.notModifiedCount == 1)
        }
    }

    @Test("a changed secret is downloaded again")
    func changed() async throws {
        try await withDoppler { emulator, client in
            _ = try await client.download()
            emulator.setSecret("JWT_SECRET", to: "jwt-value-2")
            let second = try await client.download()
            #expect(!second.notModified)
            #expect(second.values["JWT_SECRET"]?.unredactedValue == "jwt-value-2")
            #expect(emulator.notModifiedCount == 0)
        }
    }

    @Test("the ETag file lets a later run learn that nothing changed, and stores no value")
    func etagFileAcrossRuns() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let key = try SecretKey.loadOrCreate(at: directory.path + "/secrets.key")
        let file = DopplerETagFile(path: directory.path + "/doppler-etags.json", key: key)
        try await withDoppler(secrets: ["JWT_SECRET": "canary-jwt-value"], etagFile: file) { emulator, firstRun in
            guard case .changed(let download) = try await firstRun.downloadIfChanged() else {
                Issue.record("the first download must report changed values")
                return
            }
            let stored = try String(contentsOfFile: file.path, encoding: .utf8)
            #expect(!stored.contains("canary-jwt-value"))
            #expect(!stored.contains("CANARY"))
            #expect(stored.contains(key.fingerprint(Array("canary-jwt-value".utf8))))

            // A later run: a new client with nothing in memory, only the file.
            let laterRun = DopplerClient(configuration: firstRun.configuration, etagFile: file, logger: .init(label: "t"))
            do {
                try await Self.expectLaterRun(laterRun, emulator: emulator, file: file, first: download)
            } catch {
                try? await laterRun.shutdown()
                throw error
            }
            try await laterRun.shutdown()
        }
    }

    /// A later run learns "unchanged" from the file alone, then "changed" after a rotation.
    private static func expectLaterRun(
        _ client: DopplerClient, emulator: DopplerEmulator, file: DopplerETagFile, first: DopplerDownload
    ) async throws {
        let check = try await client.downloadIfChanged()
        guard case .unchanged(let etag, let fingerprints) = check else {
            Issue.record("an unchanged config must report unchanged, got \(check)")
            return
        }
        #expect(etag == first.etag)
        #expect(fingerprints == first.fingerprints(using: file.key))
        #expect(emulator.notModifiedCount == 1)

        emulator.setSecret("JWT_SECRET", to: "rotated")
        guard case .changed(let rotated) = try await client.downloadIfChanged() else {
            Issue.record("a rotated secret must report changed")
            return
        }
        #expect(rotated.values["JWT_SECRET"]?.unredactedValue == "rotated")
        #expect(file.entry(for: "format=json")?.fingerprints["JWT_SECRET"] == file.key.fingerprint(Array("rotated".utf8)))
    }
}
