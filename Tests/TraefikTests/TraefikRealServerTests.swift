import Foundation
import Testing
@testable import Traefik

/// The client against a real Traefik, when one is given: `TRAEFIK_API=http://host:8080` (optionally
/// `TRAEFIK_API_USER`/`TRAEFIK_API_PASSWORD` for the guard in front of it).
///
/// Traefik cannot be installed on the build machine (ENVIRONMENT.md), so these run only where a user points them
/// at one. Without `TRAEFIK_API` they are reported as skipped, never as passed: this is the one kind of skip the
/// project allows, for real-server tests.
@Suite("Traefik API client against a real Traefik (TRAEFIK_API)")
struct TraefikRealServerTests {
    static let address = ProcessInfo.processInfo.environment["TRAEFIK_API"].flatMap { $0.isEmpty ? nil : $0 }

    private func client() throws -> TraefikAPIClient {
        let environment = ProcessInfo.processInfo.environment
        let authentication: TraefikAPIAuthentication = environment["TRAEFIK_API_USER"].map {
            .basic(username: $0, password: environment["TRAEFIK_API_PASSWORD"] ?? "")
        } ?? .none
        return try TraefikAPIClient(baseURL: try #require(Self.address), authentication: authentication)
    }

    @Test("reads /api/version, /api/overview and every router and service page", .enabled(if: address != nil))
    func readsEverything() async throws {
        let client = try client()
        let version = try await client.version()
        #expect([2, 3].contains(version.majorVersion), "unexpected version \(version.version)")
        let overview = try await client.overview()
        let routers = try await client.routers()
        let services = try await client.services()
        #expect(routers.count == overview.http.routers?.total)
        #expect(services.count == overview.http.services?.total)
        #expect(routers.allSatisfy { $0.name.contains("@") })
        #expect(routers.allSatisfy { $0.status != nil })
        // Every router the API lists can be read back by name.
        if let first = routers.first {
            #expect(try await client.router(named: first.name)?.name == first.name)
        }
        #expect(try await client.router(named: "sprocketctl-no-such-router@file") == nil)
    }

    @Test("the verifier judges the real routers against themselves as passing", .enabled(if: address != nil))
    func verifierAgainstItself() async throws {
        let client = try client()
        let snapshot = try await client.routingSnapshot()
        let candidates = snapshot.routers.filter { router in
            router.status == .enabled && router.errors.isEmpty && router.providerName != Traefik.internalProvider
        }
        let expected = candidates.map { router in
            ExpectedRouter(
                name: router.name, rule: router.rule ?? "", entryPoints: router.entryPoints,
                certResolver: router.tls?.certResolver, middlewares: router.middlewares, service: router.service ?? "")
        }
        let verdicts = RouteEvaluation(provider: Traefik.swarmProvider).judge(expected, against: snapshot).routers
        // Services may legitimately lack servers (scaled to zero); everything else must match itself.
        for verdict in verdicts {
            let others = verdict.findings.filter {
                if case .noServers = $0 { return false }
                if case .serversDown = $0 { return false }
                return true
            }
            #expect(others.isEmpty, "\(verdict.summaryLine)")
        }
    }
}
