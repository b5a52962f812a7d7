import Foundation
import NIOCore

extension DockerClient {
    /// Whether the daemon has an image by this reference (name:tag or ID) locally.
    ///
    /// Maps to `GET /images/{name}/json`; 404 means no.
    public func imageExists(_ reference: String) async throws -> Bool {
        do {
            _ = try await send(DockerRequest(.GET, "/images/\(DockerRequest.segment(reference))/json", route: "/images/{name}/json"))
            return true
        } catch let error as DockerClientError where error.isNotFound {
            return false
        }
    }

    /// Creates an image from a root filesystem archive, as `docker import` does.
    ///
    /// Maps to `POST /images/create?fromSrc=-&repo=…&tag=…&changes=…` with the archive as the body. The daemon
    /// answers with a stream of JSON progress messages; an `error` among them fails the call.
    ///
    /// - Parameters:
    ///   - archive: A tar archive of the image's files (``TarArchiveWriter``).
    ///   - changes: Dockerfile instructions applied to the image's configuration, e.g. `ENV PATH=/bin`.
    ///   - timeout: The deadline for sending the archive and reading the answer.
    public func importImage(
        _ archive: [UInt8], repository: String, tag: String, changes: [String] = [], timeout: Duration = .seconds(300)
    ) async throws {
        var request = DockerRequest(
            .POST, "/images/create", route: "/images/create",
            query: [("fromSrc", "-"), ("repo", repository), ("tag", tag)] + changes.map { ("changes", $0) }, timeout: timeout)
        request.body = archive
        request.headers.append(("Content-Type", "application/x-tar"))
        let response = try await send(request, maxBytes: 4 << 20)
        let text = String(buffer: response.body)
        for line in text.split(whereSeparator: \.isNewline) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
            if let message = object["error"] as? String {
                throw DockerClientError.http(status: 200, method: "POST", path: "/images/create", message: message)
            }
        }
    }
}

extension DockerClient {
    /// One local image as `GET /images/json` lists it.
    public struct ImageSummary: Codable, Sendable {
        public var id: String
        public var repoTags: [String]?
        /// When the image was created (imported), in Unix seconds.
        public var created: Int?

        enum CodingKeys: String, CodingKey {
            case id = "Id", repoTags = "RepoTags", created = "Created"
        }
    }

    /// Lists local images whose reference matches `reference` (e.g. `sprocketctl-runner`).
    ///
    /// Maps to `GET /images/json?filters={"reference":[…]}`.
    public func listImages(reference: String) async throws -> [ImageSummary] {
        try await sendDecoding(
            [ImageSummary].self, DockerRequest(.GET, "/images/json", query: DockerFilters(["reference": [reference]]).queryItems))
    }

    /// Removes a local image (untags it, and deletes its layers when nothing else uses them).
    ///
    /// Maps to `DELETE /images/{name}`; fails with 409 while a container uses it.
    public func removeImage(_ reference: String) async throws {
        try await sendIgnoringBody(DockerRequest(.DELETE, "/images/\(DockerRequest.segment(reference))", route: "/images/{name}"))
    }
}
