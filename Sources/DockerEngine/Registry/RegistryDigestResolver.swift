import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SprocketCore

/// Asks an image's registry which digest a tag points at now (`HEAD /v2/<repository>/manifests/<tag>`, the
/// `Docker-Content-Digest` header), for `images lock` and `images update`.
///
/// A registry that answers 401 gets what its challenge asks for: a `Bearer` challenge (Docker Hub, GHCR, most hosted
/// registries) the token dance, anonymous or with the credentials of ``RegistryCredentialStore``; a `Basic`
/// challenge (a registry with an htpasswd file) those credentials directly, over TLS only. Plain HTTP or HTTPS with
/// a private CA is chosen per host as Docker chooses (``RegistryEndpoint``).
public struct RegistryDigestResolver: Sendable {
    let http: HTTPClient
    let credentials: RegistryCredentialStore
    /// Docker's per-registry certificate folders (`/etc/docker/certs.d`), nil for none.
    let certificatesDirectory: String?
    let timeout: Duration

    static let manifestTypes = [
        "application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.oci.image.manifest.v1+json",
    ]

    public static let defaultCertificatesDirectory = "/etc/docker/certs.d"

    public init(
        http: HTTPClient = .shared, credentials: RegistryCredentialStore = RegistryCredentialStore(),
        certificatesDirectory: String? = RegistryDigestResolver.defaultCertificatesDirectory, timeout: Duration = .seconds(20)
    ) {
        self.http = http
        self.credentials = credentials
        self.certificatesDirectory = certificatesDirectory
        self.timeout = timeout
    }

    /// The digest `reference`'s tag points at.
    /// - Throws: ``SprocketError`` (`.registry`) naming the manifest URL: unreachable, unknown tag, refused access.
    public func digest(of reference: ImageReference) async throws -> String {
        if let digest = reference.digest { return digest }
        let endpoint = try RegistryEndpoint(host: reference.registry, certificatesDirectory: certificatesDirectory)
        let url = endpoint.url("/v2/\(reference.repository)/manifests/\(reference.tag ?? "latest")")
        var response = try await head(url, endpoint: endpoint, authorization: nil)
        var credential: RegistryCredential?
        if response.status == .unauthorized, let header = response.headers.first(name: "WWW-Authenticate") {
            let challenge = RegistryChallenge(header)
            credential = try credentials.credential(for: reference.registry)
            let authorization = try await authorization(answering: challenge, endpoint: endpoint, manifest: url, credential: credential)
            response = try await head(url, endpoint: endpoint, authorization: authorization)
        }
        switch response.status.code {
        case 200..<300:
            guard let digest = response.headers.first(name: "Docker-Content-Digest"), digest.hasPrefix("sha256:") else {
                throw SprocketError(.registry, "the registry answered without a Docker-Content-Digest header", subject: url,
                                    hint: "the registry may not implement the distribution API; pin `image@sha256:…` by hand")
            }
            return digest
        case 404:
            throw SprocketError(.registry, "no such image or tag: \(reference)", subject: url, hint: "check the tag in the spec's settings")
        case 401, 403:
            if let credential {
                throw SprocketError(.registry, "the registry refused \(reference) to \(credential) (\(response.status.code))", subject: url,
                                    hint: "check the user's password or token and its pull access (`docker login \(reference.registry)` again)")
            }
            throw SprocketError(.registry, "the registry refused to show \(reference) without credentials (\(response.status.code))",
                                subject: url, hint: "run `docker login \(reference.registry)`, or set SPROCKET_REGISTRY_AUTH=user:token (read-only)")
        default:
            throw SprocketError(.registry, "the registry answered \(response.status.code) for \(reference)", subject: url, hint: "try again later")
        }
    }

    /// The `Authorization` value that answers `challenge`.
    private func authorization(
        answering challenge: RegistryChallenge, endpoint: RegistryEndpoint, manifest: String, credential: RegistryCredential?
    ) async throws -> String {
        switch challenge.scheme {
        case .bearer:
            return "Bearer " + (try await token(for: challenge, manifest: manifest, credential: credential))
        case .basic:
            guard let credential else {
                throw SprocketError(.registry, "the registry asks for a user name and password (Basic authentication)", subject: manifest,
                                    hint: "run `docker login \(endpoint.host)`, or set SPROCKET_REGISTRY_AUTH=user:token (read-only)")
            }
            // A password in Basic authentication is only base64: never over plain HTTP beyond this machine.
            guard endpoint.isTLS || RegistryEndpoint.isLoopback(endpoint.host) else {
                throw SprocketError(.registry, "the registry asks for a password over plain HTTP; it is not sent", subject: manifest,
                                    hint: "serve the registry over TLS (its CA in \(certificatesDirectory ?? RegistryDigestResolver.defaultCertificatesDirectory)/\(endpoint.host)/ca.crt)")
            }
            return credential.basicAuthorization
        case .other(let scheme):
            throw SprocketError(.registry, "the registry asks for an authentication sprocketctl does not speak: \(scheme)", subject: manifest,
                                hint: "pin `image@sha256:…` by hand")
        }
    }

    private func head(_ url: String, endpoint: RegistryEndpoint, authorization: String?) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: url)
        request.method = .HEAD
        request.tlsConfiguration = endpoint.tlsConfiguration
        request.headers.add(name: "Accept", value: Self.manifestTypes.joined(separator: ", "))
        request.headers.add(name: "User-Agent", value: "sprocketctl")
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        do {
            return try await http.execute(request, timeout: TimeAmount(timeout))
        } catch {
            let trust = endpoint.caPath.map { " (trusting \($0))" } ?? ""
            throw SprocketError(.registry, "the registry cannot be reached\(trust): \(error)", subject: url,
                                hint: "check that the registry runs and this machine reaches it (this command needs the registry; `plan --offline` does not)")
        }
    }

    /// A token from the challenge's realm: `Bearer realm="https://auth.docker.io/token",service="…",scope="…"`.
    private func token(for challenge: RegistryChallenge, manifest: String, credential: RegistryCredential?) async throws -> String {
        guard let realm = challenge.parameters["realm"] else {
            throw SprocketError(.registry, "the registry's Bearer challenge names no token realm", subject: manifest, hint: "pin `image@sha256:…` by hand")
        }
        var components = URLComponents(string: realm)
        components?.queryItems = ["service", "scope"].compactMap { key in challenge.parameters[key].map { URLQueryItem(name: key, value: $0) } }
        guard let url = components?.string else {
            throw SprocketError(.registry, "the registry's token realm is not a URL: \(realm)", subject: manifest, hint: "pin `image@sha256:…` by hand")
        }
        var request = HTTPClientRequest(url: url)
        if let credential { request.headers.add(name: "Authorization", value: credential.basicAuthorization) }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: TimeAmount(timeout))
        } catch {
            throw SprocketError(.registry, "the registry's token service cannot be reached: \(error)", subject: realm, hint: "check the network")
        }
        let body = try await response.body.collect(upTo: 1 << 20)
        struct TokenAnswer: Decodable {
            var token: String?
            var access_token: String?
        }
        guard response.status.code == 200, let answer = try? JSONDecoder().decode(TokenAnswer.self, from: Data(body.readableBytesView)),
            let token = answer.token ?? answer.access_token
        else {
            let who = credential.map { " to \($0)" } ?? ""
            throw SprocketError(.registry, "the registry's token service refused a token\(who) (\(response.status.code))", subject: realm,
                                hint: "run `docker login`, or set SPROCKET_REGISTRY_AUTH=user:token for a private repository")
        }
        return token
    }
}
