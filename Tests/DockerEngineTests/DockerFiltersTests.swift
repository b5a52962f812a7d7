import Foundation
import Testing

@testable import DockerEngine

@Suite("Filter encoding")
struct DockerFiltersTests {
    @Test("labels with and without values")
    func labels() {
        let filters = DockerFilters.label("io.sprocket.stack", "web").label("io.sprocket.env")
        #expect(filters.values == ["label": ["io.sprocket.stack=web", "io.sprocket.env"]])
        #expect(filters.jsonString() == #"{"label":["io.sprocket.stack=web","io.sprocket.env"]}"#)
    }

    @Test("keys are sorted so the query is deterministic")
    func sortedKeys() {
        let filters: DockerFilters = ["type": ["service"], "label": ["a=b"], "event": ["create", "update"]]
        #expect(filters.jsonString() == #"{"event":["create","update"],"label":["a=b"],"type":["service"]}"#)
    }

    @Test("the filters query parameter is fully percent-encoded")
    func percentEncoding() {
        var request = DockerRequest(
            .GET, "/services", query: DockerFilters.label("io.sprocket.stack", "a b/c").queryItems)
        request.isVersioned = true
        let uri = request.uri(version: DockerAPIVersion(major: 1, minor: 41))
        #expect(
            uri == "/v1.41/services?filters=%7B%22label%22%3A%5B%22io.sprocket.stack%3Da%20b%2Fc%22%5D%7D"
        )
        #expect(uri.removingPercentEncoding == #"/v1.41/services?filters={"label":["io.sprocket.stack=a b/c"]}"#)
    }

    @Test("empty filters send no parameter")
    func empty() {
        #expect(DockerFilters().queryItems.isEmpty)
        #expect(DockerRequest(.GET, "/tasks", query: DockerFilters().queryItems).uri(version: nil) == "/tasks")
    }

    @Test("path segments are percent-encoded")
    func pathSegments() {
        #expect(DockerRequest.segment("my service/x") == "my%20service%2Fx")
        #expect(DockerRequest.segment("dkt-abc_1.2") == "dkt-abc_1.2")
    }
}
