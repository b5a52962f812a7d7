import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import SprocketCore

/// Asks an image's registry which digest a tag points at now (`HEAD /v2/<repository>/manifests/<tag>`, the
/// `Docker-Content-Digest` header), for `images lock` and `images update`.
///
/// Registries that answer 401 with a `Bearer` challenge (Docker Hub, GHCR, most others) get the token dance:
/// a token from the challenge's realm, anonymous or with `SPROCKET_REGISTRY_AUTH=user:token` for private
/// repositories. `localhost` and `127.0.0.1` registries are spoken to over plain HTTP, as Docker does.
public struct RegistryDigestResolver: Sendable {
    let http: HTTPClient
    /// `user:token` for private repositories, nil for anonymous pulls.
    let credentials: String?
    let timeout: Duration

    static let manifestTypes = [
        "application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.oci.image.manifest.v1+json",
    ]

    public init(http: HTTPClient = .shared, credentials: String? = nil, timeout: Duration = .seconds(20)) {
        self.http = http
        self.credentials = credentials
        self.timeout = timeout
    }

    /// The digest `reference`'s tag points at.
    /// - Throws: ``SprocketError`` naming the manifest URL: unreachable, unknown tag, refused access.
    public func digest(of reference: ImageReference) async throws -> String {
        if let digest = reference.digest { return digest }
        let host = reference.registry
        let scheme = host.hasPrefix("localhost") || host.hasPrefix("127.0.0.1") ? "http" : "https"
        let url = "\(scheme)://\(host)/v2/\(reference.repository)/manifests/\(reference.tag ?? "latest")"
        var response = try await head(url, bearer: nil)
        if response.status == .unauthorized, let challenge = response.headers.first(name: "WWW-Authenticate") {
            let token = try await token(for: challenge, manifest: url)
            response = try await head(url, bearer: token)
        }
        switch response.status.code {
        case 200..<300:
            guard let digest = response.headers.first(name: "Docker-Content-Digest"), digest.hasPrefix("sha256:") else {
                throw SprocketError(.engine, "the registry answered without a Docker-Content-Digest header", subject: url,
                                    hint: "the registry may not implement the distribution API; pin `image@sha256:…` by hand")
            }
            return digest
        case 404:
            throw SprocketError(.engine, "no such image or tag: \(reference)", subject: url, hint: "check the tag in the spec's settings")
        case 401, 403:
            throw SprocketError(.engine, "the registry refused to show \(reference) (\(response.status.code))", subject: url,
                                hint: "for a private repository set SPROCKET_REGISTRY_AUTH=user:token (a read-only access token)")
        default:
            throw SprocketError(.engine, "the registry answered \(response.status.code) for \(reference)", subject: url, hint: "try again later")
        }
    }

    private func head(_ url: String, bearer: String?) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: url)
        request.method = .HEAD
        request.headers.add(name: "Accept", value: Self.manifestTypes.joined(separator: ", "))
        request.headers.add(name: "User-Agent", value: "sprocketctl")
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        do {
            return try await http.execute(request, timeout: TimeAmount(timeout))
        } catch {
            throw SprocketError(.engineUnreachable, "the registry cannot be reached: \(error)", subject: url,
                                hint: "check the network (this command needs the registry; `plan --offline` does not)")
        }
    }

    /// `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/x:pull"`.
    private func token(for challenge: String, manifest: String) async throws -> String {
        let parameters = Self.challengeParameters(challenge)
        guard challenge.lowercased().hasPrefix("bearer"), let realm = parameters["realm"] else {
            throw SprocketError(.engine, "the registry asks for an authentication it does not describe: \(challenge)", subject: manifest,
                                hint: "pin `image@sha256:…` by hand")
        }
        var components = URLComponents(string: realm)
        components?.queryItems = ["service", "scope"].compactMap { key in parameters[key].map { URLQueryItem(name: key, value: $0) } }
        guard let url = components?.string else {
            throw SprocketError(.engine, "the registry's token realm is not a URL: \(realm)", subject: manifest, hint: "pin `image@sha256:…` by hand")
        }
        var request = HTTPClientRequest(url: url)
        if let credentials {
            request.headers.add(name: "Authorization", value: "Basic \(Data(credentials.utf8).base64EncodedString())")
        }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: TimeAmount(timeout))
        } catch {
            throw SprocketError(.engineUnreachable, "the registry's token service cannot be reached: \(error)", subject: realm, hint: "check the network")
        }
        let body = try await response.body.collect(upTo: 1 << 20)
        struct TokenAnswer: Decodable {
            var token: String?
            var access_token: String?
        }
        guard response.status.code == 200, let answer = try? JSONDecoder().decode(TokenAnswer.self, from: Data(body.readableBytesView)),
            let token = answer.token ?? answer.access_token
        else {
            throw SprocketError(.engine, "the registry's token service refused (\(response.status.code))", subject: realm,
                                hint: "for a private repository set SPROCKET_REGISTRY_AUTH=user:token")
        }
        return token
    }

    static func challengeParameters(_ challenge: String) -> [String: String] {
        var parameters: [String: String] = [:]
        let body = challenge.drop { $0 != " " }
        for part in body.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            parameters[pair[0].trimmingCharacters(in: .whitespaces)] = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        }
        return parameters
    }
}
