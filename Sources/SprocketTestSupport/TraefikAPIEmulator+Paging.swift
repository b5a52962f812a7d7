extension TraefikAPIEmulator {
    /// Go's `http.NotFound` body for paths outside the API.
    static let notFound = StubHTTPServer.Response.text("404 page not found\n", status: 404)

    /// A 200 JSON body as `json.NewEncoder(rw).Encode` writes it.
    static func json(_ value: TraefikAPIEmulatorJSON, headers: [(String, String)] = []) -> StubHTTPServer.Response {
        .json(value.goEncoded, headers: headers)
    }

    /// Traefik's `writeError`: `{"message":…}` sent through `http.Error`, hence text/plain, `nosniff` and a
    /// trailing newline.
    static func apiError(_ message: String, status: Int) -> StubHTTPServer.Response {
        .text(
            TraefikAPIEmulatorJSON.object([("message", .string(message))]).compact + "\n", status: status,
            headers: [("X-Content-Type-Options", "nosniff")])
    }

    /// One page of a list sorted by name, with `X-Next-Page`; Traefik's `pagination` rules: `per_page` defaults
    /// to 100 and `page` to 1, a value that is not a positive integer is a 400, a page starting past the end
    /// (other than the first) is a 400, and the next page is 1 when this is the last.
    static func page(_ items: [String: TraefikAPIEmulatorJSON], query: [String: String]) -> StubHTTPServer.Response {
        let sorted = items.sorted { $0.key < $1.key }.map(\.value)
        let perPage: Int
        let page: Int
        switch (parameter("per_page", in: query, default: 100), parameter("page", in: query, default: 1)) {
        case (.failure(let error), _), (_, .failure(let error)):
            return apiError(error.message, status: 400)
        case (.success(let size), .success(let number)):
            (perPage, page) = (size, number)
        }
        let start = (page - 1) * perPage
        if start != 0 && start >= sorted.count {
            return apiError("invalid request: page: \(page), per_page: \(perPage)", status: 400)
        }
        let end = min(start + perPage, sorted.count)
        let next = page * perPage < sorted.count ? page + 1 : 1
        return json(.array(Array(sorted[start..<end])), headers: [("X-Next-Page", String(next))])
    }

    /// Go's `getIntParam`: absent gives the default; not a positive integer gives
    /// `invalid request: <key>: <value as parsed, 0 when unparsable>`.
    private static func parameter(_ key: String, in query: [String: String], default value: Int) -> Result<Int, ParameterError> {
        guard let raw = query[key], !raw.isEmpty else { return .success(value) }
        let parsed = Int(raw) ?? 0
        return parsed > 0 ? .success(parsed) : .failure(ParameterError("invalid request: \(key): \(parsed)"))
    }

    struct ParameterError: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }
}
