import Foundation

/// Parses `s3:` in stack.yaml into an ``S3Spec``. Bucket names are interpolated and checked against S3's naming
/// rules here, so a bad name is reported at its `file:line:column` before anything is contacted.
struct S3SpecParser {
    let context: SpecParseContext
    let origin: SpecFileOrigin

    static let keys = ["layer", "endpoint", "region", "path_style", "credentials", "buckets"]
    static let bucketKeys = ["versioning", "lifecycle", "cors", "policy", "consumers", "acl"]

    private var diagnostics: SpecDiagnosticCollector { context.diagnostics }

    func parse(_ node: YAMLNode) -> S3Spec? {
        guard let fields = context.fields(node, of: "`s3`", known: Self.keys) else { return nil }
        let region = fields["region"].flatMap { context.string($0, for: "s3.region") }
        guard let region, !region.isEmpty else {
            diagnostics.error(node.location, "`s3` needs a `region`",
                              hint: "e.g. `region: fra1` for DigitalOcean Spaces, `us-east-1` for AWS or MinIO")
            return nil
        }
        let endpoint = fields["endpoint"].flatMap { endpointValue($0) }
        return S3Spec(
            layer: context.optionalString(fields["layer"], for: "s3.layer"),
            endpoint: endpoint,
            region: region,
            pathStyle: fields["path_style"].flatMap { context.boolean($0, for: "s3.path_style") } ?? false,
            credentials: fields["credentials"].flatMap(credentials),
            buckets: fields["buckets"].map(buckets) ?? [],
            location: node.location)
    }

    private func endpointValue(_ node: YAMLNode) -> String? {
        guard let text = context.string(node, for: "s3.endpoint") else { return nil }
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            diagnostics.error(node.location, "`s3.endpoint` `\(text)` is not an http(s) URL",
                              hint: "e.g. `https://fra1.digitaloceanspaces.com` or `http://127.0.0.1:9000`")
            return nil
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    private func credentials(_ node: YAMLNode) -> S3Spec.Credentials? {
        guard let fields = context.fields(node, of: "`s3.credentials`", known: ["access_key_secret", "secret_key_secret"]) else {
            return nil
        }
        let access = fields["access_key_secret"].flatMap { context.string($0, for: "s3.credentials.access_key_secret") }
        let secret = fields["secret_key_secret"].flatMap { context.string($0, for: "s3.credentials.secret_key_secret") }
        guard let access, !access.isEmpty, let secret, !secret.isEmpty else {
            diagnostics.error(node.location, "`s3.credentials` needs `access_key_secret` and `secret_key_secret`",
                              hint: "name the stack secrets holding the key ID and the secret key, e.g. `{access_key_secret: spaces-key-id, secret_key_secret: spaces-secret}`")
            return nil
        }
        return S3Spec.Credentials(accessKeySecret: access, secretKeySecret: secret)
    }

    private func buckets(_ node: YAMLNode) -> [S3BucketSpec] {
        guard let entries = context.mapping(node, for: "s3.buckets") else { return [] }
        var seen: [String: SourceLocation] = [:]
        return entries.compactMap { entry in
            let name = context.interpolator.interpolate(
                YAMLScalar(text: entry.key, style: .plain, verbatimOffset: 0), at: entry.keyLocation, diagnostics: diagnostics)
            if let problem = S3BucketName.problem(name) {
                diagnostics.error(entry.keyLocation, problem,
                                  hint: "use 3-63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit")
                return nil
            }
            if let first = seen[name] {
                diagnostics.error(entry.keyLocation, "bucket `\(name)` is declared twice",
                                  hint: "it is already declared at \(first); keep one of them")
                return nil
            }
            seen[name] = entry.keyLocation
            return bucket(name: name, entry.value, location: entry.keyLocation)
        }
    }

    private func bucket(name: String, _ node: YAMLNode, location: SourceLocation) -> S3BucketSpec? {
        guard let fields = context.fields(node, of: "bucket `\(name)`", known: Self.bucketKeys) else { return nil }
        if let acl = fields.entries["acl"] {
            diagnostics.error(acl.keyLocation, "`acl` on bucket `\(name)` is not supported: S3 ACLs are deprecated",
                              hint: "remove `acl` and grant access with a bucket `policy:` instead")
        }
        var bucket = S3BucketSpec(name: name, location: location)
        bucket.versioning = fields["versioning"].flatMap { context.boolean($0, for: "\(name).versioning") }
        bucket.lifecycle = fields["lifecycle"].map { lifecycle($0, bucket: name) }
        bucket.cors = fields["cors"].map { cors($0, bucket: name) }
        bucket.policy = fields["policy"].flatMap { policy($0, bucket: name) }
        bucket.consumers = fields["consumers"].map { context.strings($0, for: "\(name).consumers") } ?? []
        return bucket
    }

    private func lifecycle(_ node: YAMLNode, bucket: String) -> [S3BucketSpec.LifecycleRule] {
        let items = context.list(node, for: "\(bucket).lifecycle") ?? []
        return items.compactMap { item in
            guard let fields = context.fields(item, of: "a lifecycle rule of `\(bucket)`", known: ["prefix", "expire_days"]) else {
                return nil
            }
            guard let daysNode = fields["expire_days"], let days = context.integer(daysNode, for: "expire_days") else {
                if fields["expire_days"] == nil {
                    diagnostics.error(item.location, "a lifecycle rule of `\(bucket)` has no `expire_days`",
                                      hint: "write e.g. `{prefix: tmp/, expire_days: 7}`")
                }
                return nil
            }
            guard days >= 1 else {
                diagnostics.error(daysNode.location, "`expire_days` must be at least 1, found \(days)", hint: "S3 expires objects after whole days")
                return nil
            }
            let prefix = context.optionalString(fields["prefix"], for: "prefix") ?? ""
            return S3BucketSpec.LifecycleRule(prefix: prefix, expireDays: days, location: item.location)
        }
    }

    private func cors(_ node: YAMLNode, bucket: String) -> [S3BucketSpec.CORSRule] {
        let items = context.list(node, for: "\(bucket).cors") ?? []
        return items.compactMap { item in
            guard let fields = context.fields(
                item, of: "a CORS rule of `\(bucket)`", known: ["origins", "methods", "headers", "expose_headers", "max_age"])
            else { return nil }
            let origins = fields["origins"].map { context.strings($0, for: "origins", acceptsSingle: true) } ?? []
            let methods = (fields["methods"].map { context.strings($0, for: "methods", acceptsSingle: true) } ?? []).map { $0.uppercased() }
            guard !origins.isEmpty, !methods.isEmpty else {
                diagnostics.error(item.location, "a CORS rule of `\(bucket)` needs `origins` and `methods`",
                                  hint: "e.g. `{origins: [\"https://example.org\"], methods: [GET]}`")
                return nil
            }
            for method in methods where !S3BucketSpec.corsMethods.contains(method) {
                diagnostics.error(fields.entries["methods"]?.keyLocation ?? item.location, "CORS method `\(method)` is not allowed by S3",
                                  hint: "use \(S3BucketSpec.corsMethods.joined(separator: ", "))")
            }
            return S3BucketSpec.CORSRule(
                origins: origins, methods: methods,
                headers: fields["headers"].map { context.strings($0, for: "headers", acceptsSingle: true) } ?? [],
                exposeHeaders: fields["expose_headers"].map { context.strings($0, for: "expose_headers", acceptsSingle: true) } ?? [],
                maxAgeSeconds: fields["max_age"].flatMap { context.integer($0, for: "max_age") },
                location: item.location)
        }
    }

    /// `policy: {file: path}` (a JSON file, `${…}` interpolated) or the policy written inline as a mapping.
    private func policy(_ node: YAMLNode, bucket: String) -> JSONValue? {
        guard let entries = node.mapping else {
            context.typeError(node, expected: "`{file: policy.json}` or the policy as a mapping", for: "\(bucket).policy")
            return nil
        }
        guard entries.count == 1, let file = entries.first, file.key == "file" else {
            return json(node)
        }
        guard let path = context.string(file.value, for: "\(bucket).policy.file") else { return nil }
        let display = origin.display(path)
        guard let text = SpecFiles.text(
            at: origin.absolute(path), displayPath: display, reportingAt: file.value.location, what: "policy file",
            diagnostics: diagnostics)
        else { return nil }
        let interpolated = context.interpolator.interpolate(
            YAMLScalar(text: text, style: .literal), at: file.value.location, diagnostics: diagnostics)
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(interpolated.utf8))
        } catch {
            diagnostics.error(file.value.location, "policy file `\(display)` is not valid JSON",
                              hint: "check it with `jq . \(display)`")
            return nil
        }
    }

    /// A YAML value as JSON: plain booleans and integers keep their type, every other scalar is interpolated text.
    private func json(_ node: YAMLNode) -> JSONValue? {
        switch node.content {
        case .mapping(let entries):
            var object: [String: JSONValue] = [:]
            for entry in entries { object[entry.key] = json(entry.value) ?? .null }
            return .object(object)
        case .sequence(let items):
            return .array(items.map { json($0) ?? .null })
        case .scalar(let scalar):
            if scalar.isNull { return .null }
            if let flag = scalar.plainBoolean { return .bool(flag) }
            if let number = scalar.plainInteger { return .integer(Int64(number)) }
            return context.string(node, for: "policy").map(JSONValue.string)
        }
    }
}
