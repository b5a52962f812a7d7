import Foundation
import NIOSSL
import SprocketTestSupport
import Testing
@testable import Traefik

@Suite("Traefik route probe over HTTP and TLS")
struct TraefikRouteProbeTests {
    /// A certificate for the route's name, and a stand-in for Traefik's default certificate.
    struct Certificates {
        let app: SelfSignedCertificate
        let fallback: SelfSignedCertificate

        init() throws {
            app = try SelfSignedCertificate(commonName: "app.test", dnsNames: ["app.test"])
            fallback = try SelfSignedCertificate(commonName: Traefik.defaultCertificateCommonName, dnsNames: [])
        }
    }

    private func withTLSServer<T>(
        _ certificates: Certificates, _ body: (TestTLSServer) async throws -> T
    ) async throws -> T {
        let server = try await TestTLSServer.start(
            named: certificates.app, names: ["app.test"], fallback: certificates.fallback)
        do {
            let result = try await body(server)
            try await server.shutdown()
            return result
        } catch {
            try? await server.shutdown()
            throw error
        }
    }

    @Test("a TLS route is asked for with its name as SNI and Host, and its certificate is read")
    func namedRoute() async throws {
        let certificates = try Certificates()
        try await withTLSServer(certificates) { server in
            let target = RouteProbeTarget(scheme: .https, host: "app.test", address: "127.0.0.1", port: server.port)
            let result = try await RouteProbe(timeout: .seconds(5)).probe(target)
            #expect(result.statusCode == 200, "\(result.summaryLine)")
            #expect(server.connections.last == .init(serverName: "app.test", host: "app.test:\(server.port)"))
            let certificate = try #require(result.certificate)
            #expect(certificate.subject == "CN=app.test")
            #expect(certificate.issuer == "CN=app.test")
            #expect(certificate.subjectCommonName == "app.test")
            #expect(certificate.dnsNames == ["app.test"])
            #expect(!certificate.isTraefikDefault)
            #expect((29...30).contains(certificate.daysLeft()))
            // Self-signed and not in the system roots: readable, but a browser would refuse it.
            #expect(!certificate.verifies)
            #expect(result.summaryLine.contains("(not trusted: "))
            // The JSON form gives dates as RFC 3339 and reads back equal (to the second).
            let data = try JSONEncoder().encode(result)
            let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let notAfter = try #require((json["certificate"] as? [String: Any])?["notAfter"] as? String)
            #expect(notAfter.hasSuffix("Z") && notAfter.contains("T"))
            #expect(try JSONDecoder().decode(RouteProbeResult.self, from: data) == result)
        }
    }

    @Test("a failed verification reads as BoringSSL's reason, without error codes or the build's source path")
    func tlsReason() {
        let raw = "handshakeFailed(NIOSSL.BoringSSLError.sslError([Error: 268435581 error:1000007d:SSL routines:OPENSSL_internal:"
            + "CERTIFICATE_VERIFY_FAILED at /work/.build/checkouts/swift-nio-ssl/Sources/CNIOBoringSSL/ssl/handshake.cc:320]))"
        let reason = RouteProbe.tlsReason(raw)
        #expect(reason?.hasPrefix("TLS handshake failed: CERTIFICATE_VERIFY_FAILED: the chain does not lead to a trusted root") == true, "\(reason ?? "nil")")
        #expect(reason?.contains("/work/") == false)
        #expect(RouteProbe.tlsReason("connection refused") == nil)
    }

    @Test("with the certificate among the trust roots the same route verifies, name included")
    func trustedRoute() async throws {
        let certificates = try Certificates()
        try await withTLSServer(certificates) { server in
            let probe = RouteProbe(timeout: .seconds(5), trustRoots: .certificates([certificates.app.certificate]))
            let result = try await probe.probe(
                RouteProbeTarget(scheme: .https, host: "app.test", address: "127.0.0.1", port: server.port))
            #expect(result.statusCode == 200)
            #expect(result.certificate?.verifies == true, "\(result.summaryLine)")
            #expect(result.summaryLine.hasSuffix("(trusted)"))
            // One connection: the verified handshake succeeded, no second look was needed.
            #expect(server.connections.count == 1)
        }
    }

    @Test("a name Traefik has no certificate for gets the default certificate, flagged")
    func defaultCertificate() async throws {
        let certificates = try Certificates()
        try await withTLSServer(certificates) { server in
            let probe = RouteProbe(timeout: .seconds(5), trustRoots: .certificates([certificates.app.certificate]))
            let result = try await probe.probe(
                RouteProbeTarget(scheme: .https, host: "other.test", address: "127.0.0.1", port: server.port))
            #expect(result.statusCode == 200)
            let certificate = try #require(result.certificate)
            #expect(certificate.isTraefikDefault)
            #expect(certificate.subject == "CN=TRAEFIK DEFAULT CERT")
            #expect(!certificate.verifies)
            #expect(result.summaryLine.contains("TRAEFIK DEFAULT CERT: no certificate for this name"))
            #expect(server.connections.last?.serverName == "other.test")
        }
    }

    @Test("an IP route sends no SNI, the address as Host, and gets the default certificate")
    func ipRoute() async throws {
        let certificates = try Certificates()
        try await withTLSServer(certificates) { server in
            let target = RouteProbeTarget(scheme: .https, host: nil, address: "127.0.0.1", port: server.port)
            #expect(target.serverName == nil)
            let result = try await RouteProbe(timeout: .seconds(5)).probe(target)
            #expect(result.statusCode == 200, "\(result.summaryLine)")
            #expect(server.connections.last == .init(serverName: nil, host: "127.0.0.1:\(server.port)"))
            #expect(result.certificate?.isTraefikDefault == true)
        }
    }

    @Test("a plain HTTP route carries the Host header; a redirect shows its Location")
    func plainHTTP() async throws {
        try await StubHTTPServer.withServer(on: .tcp()) { request in
            switch request.header("Host") {
            case let host? where host.hasPrefix("app.test:"):
                return .text("ok")
            case let host? where host.hasPrefix("redirect.test:"):
                return .text("", status: 301, headers: [("Location", "https://redirect.test/")])
            default:
                return .text("no route", status: 404)
            }
        } body: { server in
            let port = try #require(server.port)
            let probe = RouteProbe(timeout: .seconds(5))
            let results = try await probe.probe([
                RouteProbeTarget(scheme: .http, host: "app.test", address: "127.0.0.1", port: port, path: "/health"),
                RouteProbeTarget(scheme: .http, host: "redirect.test", address: "127.0.0.1", port: port),
                RouteProbeTarget(scheme: .http, host: "unknown.test", address: "127.0.0.1", port: port),
            ])
            #expect(results.map(\.statusCode) == [200, 301, 404])
            #expect(results[1].location == "https://redirect.test/")
            #expect(results.allSatisfy { $0.certificate == nil })
            let app = server.requests.first { $0.header("Host")?.hasPrefix("app.test") == true }
            #expect(app?.uri == "/health")
            #expect(app?.header("Host") == "app.test:\(port)")
            #expect(results[1].summaryLine == "http://redirect.test:\(port)/ via 127.0.0.1:\(port): HTTP 301 → https://redirect.test/")
        }
    }

    @Test("nothing listening is a result with the reason, not a thrown error")
    func refused() async throws {
        let server = try await StubHTTPServer.start(on: .tcp()) { _ in .text("") }
        let port = try #require(server.port)
        try await server.shutdown()
        for scheme in [RouteProbeTarget.Scheme.http, .https] {
            let result = try await RouteProbe(timeout: .seconds(5)).probe(
                RouteProbeTarget(scheme: scheme, host: "app.test", address: "127.0.0.1", port: port))
            #expect(result.statusCode == nil)
            #expect(result.error?.contains("refused") == true, "\(result.summaryLine)")
        }
    }

    @Test("a server that never answers is cut off at the probe's timeout")
    func timeout() async throws {
        try await StubHTTPServer.withServer(on: .tcp()) { _ in
            StubHTTPServer.Response.text("late").delayed(by: .seconds(30))
        } body: { server in
            let port = try #require(server.port)
            // 3 s, not less: on a loaded machine even the local connect can take longer than a few hundred ms, and
            // this is about the answer never coming.
            let result = try await RouteProbe(timeout: .seconds(3)).probe(
                RouteProbeTarget(scheme: .http, host: "slow.test", address: "127.0.0.1", port: port))
            #expect(result.statusCode == nil)
            #expect(result.error == "no response within 3s", "\(result.summaryLine)")
        }
    }

    @Test("Host and SNI by target kind", arguments: [
        (RouteProbeTarget(scheme: .https, host: "app.example.com", address: "203.0.113.7"), "app.example.com", "app.example.com"),
        (RouteProbeTarget(scheme: .http, host: "app.example.com", address: "203.0.113.7"), "app.example.com", nil),
        (RouteProbeTarget(scheme: .https, host: nil, address: "203.0.113.7"), "203.0.113.7", nil),
        (RouteProbeTarget(scheme: .https, host: "100.64.0.3", address: "100.64.0.3", port: 8443), "100.64.0.3:8443", nil),
        (RouteProbeTarget(scheme: .https, host: nil, address: "2001:db8::1"), "[2001:db8::1]", nil),
    ] as [(RouteProbeTarget, String, String?)])
    func hostAndSNI(target: RouteProbeTarget, host: String, serverName: String?) {
        #expect(target.hostHeader == host)
        #expect(target.serverName == serverName)
    }
}
