import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

extension VaultClient {
    /// Largest body this client buffers; Vault's answers are small JSON documents.
    static let maxBodyBytes = 8 << 20

    /// A raw answer: status and body, whatever the status.
    struct RawResponse: Sendable {
        var status: Int
        var body: Data
    }

    /// Sends a request and returns the answer whatever its status. Only transport failures throw.
    func sendRaw(_ request: VaultRequest) async throws -> RawResponse {
        let uri = request.uri
        guard URL(string: configuration.address + uri) != nil else {
            throw VaultClientError.invalidConfiguration("cannot build a URL from \(configuration.address) and \(uri)")
        }
        var httpRequest = HTTPClientRequest(url: configuration.address + uri)
        httpRequest.method = HTTPMethod(rawValue: request.method)
        httpRequest.headers.add(name: "User-Agent", value: "sprocketctl-vault")
        httpRequest.headers.add(name: "X-Vault-Request", value: "true")
        if request.authenticated, let token = request.tokenOverride ?? token {
            httpRequest.headers.add(name: "X-Vault-Token", value: token.unredactedValue)
        }
        if let namespace = configuration.namespace {
            httpRequest.headers.add(name: "X-Vault-Namespace", value: namespace)
        }
        if let body = request.body {
            httpRequest.headers.add(name: "Content-Type", value: request.contentType)
            httpRequest.body = .bytes(ByteBuffer(bytes: body))
        } else if ["POST", "PUT"].contains(request.method) {
            httpRequest.body = .bytes(ByteBuffer())
        }
        let timeout = configuration.requestTimeout
        let prepared = httpRequest
        let http = self.http
        let logger = self.logger
        let method = request.method
        let path = request.path
        let limit = request.maxResponseBytes ?? Self.maxBodyBytes
        // A run that lost its lease sends no write; counted before it is sent: a write whose answer never arrives
        // may still have been applied.
        try await calls.beforeSending(request)
        calls.record(request)
        do {
            let response = try await http.execute(prepared, deadline: .now() + TimeAmount(timeout), logger: logger)
            var collected = ByteBuffer()
            if method != "HEAD" {
                for try await var chunk in response.body {
                    guard collected.readableBytes + chunk.readableBytes <= limit else {
                        throw VaultClientError.transport(method: method, path: path, reason: "response larger than \(limit) bytes")
                    }
                    collected.writeBuffer(&chunk)
                }
            }
            let status = Int(response.status.code)
            logger.trace("vault api response", metadata: ["method": "\(method)", "path": "\(path)", "status": "\(status)"])
            return RawResponse(status: status, body: Data(collected.readableBytesView))
        } catch let error as VaultClientError {
            throw error
        } catch let error as CancellationError {
            throw error
        } catch {
            throw mapTransportError(error, method: method, path: path, timeout: timeout)
        }
    }

    /// Sends a request; a status ≥ 400 becomes a typed ``VaultClientError``.
    @discardableResult
    func send(_ request: VaultRequest) async throws -> RawResponse {
        let response = try await sendRaw(request)
        guard response.status < 400 else {
            throw Self.error(status: response.status, body: response.body, method: request.method, path: request.path)
        }
        return response
    }

    /// Sends a request and decodes the logical envelope (`data`, `auth`, `warnings`) of a 2xx answer.
    func sendEnvelope<DataBody: Decodable & Sendable>(_ type: DataBody.Type, _ request: VaultRequest) async throws
        -> VaultEnvelope<DataBody>
    {
        let response = try await send(request)
        return try Self.decode(VaultEnvelope<DataBody>.self, from: response.body, path: request.path)
    }

    /// Sends a request and decodes a 2xx answer that is not enveloped (sys/init, sys/seal-status, …).
    func sendDecoding<Body: Decodable & Sendable>(_ type: Body.Type, _ request: VaultRequest) async throws -> Body {
        let response = try await send(request)
        return try Self.decode(type, from: response.body, path: request.path)
    }

    static func decode<Body: Decodable>(_ type: Body.Type, from data: Data, path: String) throws -> Body {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw VaultClientError.decoding(path: path, detail: "\(error)")
        }
    }

    /// Maps Vault's status codes and `{"errors":[…]}` to typed errors.
    static func error(status: Int, body: Data, method: String, path: String) -> VaultClientError {
        struct ErrorBody: Decodable { var errors: [String]? }
        let messages = (try? JSONDecoder().decode(ErrorBody.self, from: body))?.errors ?? []
        let flat = messages.flatMap(VaultClientError.unwrapMultiError)
        func mentions(_ text: String) -> Bool { flat.contains { $0.localizedCaseInsensitiveContains(text) } }
        switch status {
        case 400 where mentions("check-and-set"):
            return .invalidCAS(path: path, message: flat.first { $0.contains("check-and-set") } ?? "cas mismatch")
        case 400 where mentions("Vault is not initialized"):
            return .notInitialized(method: method, path: path)
        case 400: return .badRequest(method: method, path: path, messages: flat)
        case 403: return .permissionDenied(method: method, path: path, messages: flat)
        case 404: return .notFound(method: method, path: path)
        case 429: return .rateLimited(method: method, path: path, messages: flat)
        case 501: return .notInitialized(method: method, path: path)
        case 503 where mentions("overloaded"): return .rateLimited(method: method, path: path, messages: flat)
        case 503: return .sealed(method: method, path: path, messages: flat)
        default: return .unexpected(status: status, method: method, path: path, messages: flat)
        }
    }

    /// Turns AHC and NIO errors into ``VaultClientError``; connection failures name the address.
    func mapTransportError(_ error: any Error, method: String, path: String, timeout: Duration) -> VaultClientError {
        if let clientError = error as? HTTPClientError {
            if clientError == .deadlineExceeded || clientError == .readTimeout {
                return .timeout(method: method, path: path, after: timeout)
            }
            if clientError == .connectTimeout {
                return .unreachable(address: configuration.address, reason: "connection timed out")
            }
            if clientError == .remoteConnectionClosed {
                // Vault went away mid-request (killed, restarted, a proxy dropped it): say where, and that a
                // write's outcome is unknown, so a rerun (idempotent, check-and-set) is what converges.
                return .transport(
                    method: method, path: path,
                    reason: "the connection to \(configuration.address) closed before Vault answered (Vault stopped or "
                        + "restarted?); if this was a write it may or may not have been applied. Check Vault "
                        + "(`sprocketctl vault status`), then run again")
            }
        }
        if let ioError = error as? IOError {
            return .unreachable(address: configuration.address, reason: String(cString: strerror(ioError.errnoCode)))
        }
        if let connectionError = error as? NIOConnectionError {
            let reason = connectionError.connectionErrors.first.map { "\($0.error)" } ?? "cannot resolve or connect to the host"
            return .unreachable(address: configuration.address, reason: reason)
        }
        if error is NIOSSLError || error is BoringSSLError {
            return .unreachable(
                address: configuration.address,
                reason: "TLS handshake failed (\(error)); set VAULT_CACERT to the CA that signed Vault's certificate")
        }
        if let channelError = error as? ChannelError, case .connectTimeout = channelError {
            return .unreachable(address: configuration.address, reason: "connection timed out")
        }
        return .transport(method: method, path: path, reason: "\(error)")
    }
}
