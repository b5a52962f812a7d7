import Crypto
import Foundation

extension DopplerEmulator {
    /// Answers a request as the server would, counted like one that came over the network; lets fidelity tests
    /// read the exact bytes without an HTTP client.
    public func answer(method: String = "GET", uri: String, headers: [(String, String)]) -> StubHTTPServer.Response {
        respond(
            to: StubHTTPServer.Request(
                method: method, uri: uri, headers: headers.map { StubHTTPServer.Header(name: $0.0, value: $0.1) },
                body: []))
    }

    /// Answers one request: scripted failure, authentication, access, parameters, then the body or a 304.
    func respond(to request: StubHTTPServer.Request) -> StubHTTPServer.Response {
        guard request.path == Self.downloadPath else {
            return .json(Self.errorBody("Not found"), status: 404)
        }
        guard request.method == "GET" else {
            return .json(Self.errorBody("Method not allowed"), status: 405)
        }
        return state.withLock { state in
            state.downloadCount += 1
            if !state.scripted.isEmpty {
                let failure = state.scripted.removeFirst()
                return StubHTTPServer.Response(
                    status: failure.status,
                    headers: [.init(name: "Content-Type", value: failure.contentType)]
                        + (failure.retryAfter.map { [.init(name: "Retry-After", value: $0)] } ?? []),
                    parts: [Array(failure.body.utf8)])
            }
            return Self.download(request, state: &state)
        }
    }

    private static func download(_ request: StubHTTPServer.Request, state: inout State) -> StubHTTPServer.Response {
        guard let token = token(in: request), let access = state.tokens[token] else {
            return .json(errorBody(invalidTokenMessage), status: 401)
        }
        let query = request.query
        let project = query["project"].flatMap { $0.isEmpty ? nil : $0 }
        let config = query["config"].flatMap { $0.isEmpty ? nil : $0 }
        switch access {
        case .noAccess:
            return .json(errorBody(noAccessMessage), status: 403)
        case .personalToken where project == nil:
            return .json(errorBody("You must specify a project"), status: 400)
        case .personalToken where config == nil:
            return .json(errorBody("You must specify a config"), status: 400)
        case .serviceToken, .personalToken:
            break
        }
        if let project, project != state.project {
            return .json(errorBody("Could not find requested project"), status: 404)
        }
        if let config, config != state.config {
            return .json(errorBody("Could not find requested config"), status: 404)
        }
        let format = query["format"] ?? "json"
        guard DopplerEmulatorFormats.documentedFormats.contains(format) else {
            return .json(errorBody("Invalid format"), status: 400)
        }
        var secrets = state.secrets
        secrets["DOPPLER_PROJECT"] = state.project
        secrets["DOPPLER_CONFIG"] = state.config
        secrets["DOPPLER_ENVIRONMENT"] = state.environment
        if let only = query["secrets"], !only.isEmpty {
            let wanted = Set(only.split(separator: ",").map(String.init))
            secrets = secrets.filter { wanted.contains($0.key) }
        }
        if let transformer = query["name_transformer"], !transformer.isEmpty {
            var renamed: [String: String] = [:]
            for (name, value) in secrets {
                guard let newName = DopplerEmulatorFormats.transform(name, with: transformer) else {
                    return .json(errorBody("Invalid name transformer"), status: 400)
                }
                renamed[newName] = value
            }
            secrets = renamed
        }
        guard let body = DopplerEmulatorFormats.render(secrets, format: format) else {
            return .json(errorBody("The emulator does not render format \(format)"), status: 400)
        }
        let etag = "\"" + SHA256.hash(data: Array(body.utf8)).map { String(format: "%02x", $0) }.joined().prefix(40) + "\""
        let requestID = UUID().uuidString.lowercased()
        if let validator = request.header("If-None-Match"), validator == etag || validator == "W/\(etag)" {
            state.notModifiedCount += 1
            return StubHTTPServer.Response(
                status: 304, headers: [.init(name: "ETag", value: etag), .init(name: "x-request-id", value: requestID)],
                parts: [[]])
        }
        return StubHTTPServer.Response(
            status: 200,
            headers: [
                .init(name: "Content-Type", value: DopplerEmulatorFormats.contentType(of: format)),
                .init(name: "ETag", value: etag), .init(name: "x-request-id", value: requestID),
            ],
            parts: [Array(body.utf8)])
    }

    /// The token from `Authorization: Bearer <token>` or `Basic base64(<token>:)`.
    private static func token(in request: StubHTTPServer.Request) -> String? {
        guard let header = request.header("Authorization") else { return nil }
        if header.hasPrefix("Bearer ") { return String(header.dropFirst("Bearer ".count)) }
        guard header.hasPrefix("Basic "), let decoded = Data(base64Encoded: String(header.dropFirst("Basic ".count))),
            let pair = String(data: decoded, encoding: .utf8), let colon = pair.firstIndex(of: ":")
        else { return nil }
        return String(pair[..<colon])
    }
}
