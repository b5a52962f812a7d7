import SprocketCore
import SprocketTestSupport
import Testing

@Suite("s3: in stack.yaml")
struct S3SpecParserTests {
    static func load(_ s3: String, files: [String: String] = [:]) throws -> StackSpec {
        let folder = try TemporaryDirectory(prefix: "s3-spec")
        defer { folder.remove() }
        try folder.write("stack.yaml", "stack: s\nsettings:\n  subdomain: staging\n  domain: example.org\nlayers: [data]\n" + s3)
        try folder.write("data.yaml", "services:\n  api:\n    image: example/api\n")
        for (path, text) in files { try folder.write(path, text) }
        return try SpecLoader(processEnvironment: [:]).load(path: folder.path, environment: nil)
    }

    static let full = """
        s3:
          layer: data
          endpoint: https://fra1.digitaloceanspaces.com/
          region: fra1
          path_style: false
          credentials: { access_key_secret: spaces-key-id, secret_key_secret: spaces-secret }
          buckets:
            sprocket-${subdomain}-replays:
              versioning: true
              lifecycle: [{ prefix: tmp/, expire_days: 7 }]
              cors: [{ origins: ["https://${domain}"], methods: [GET, put], headers: ["*"], max_age: 3600 }]
              policy: { file: policies/replays.json }
              consumers: [replay-parse, api]
            sprocket-${subdomain}-assets:
              policy:
                Version: "2012-10-17"
                Statement:
                  - Effect: Allow
                    Principal: "*"
                    Action: [s3:GetObject]
                    Resource: ["arn:aws:s3:::sprocket-${subdomain}-assets/*"]

        """

    @Test("every key is read, names and values interpolated, the policy file parsed")
    func readsEverything() throws {
        let policy = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "arn:aws:s3:::sprocket-${subdomain}-replays/*"}]}"#
        let stack = try Self.load(Self.full, files: ["policies/replays.json": policy])
        let s3 = try #require(stack.s3)
        #expect(s3.layer == "data" && s3.region == "fra1" && !s3.pathStyle)
        #expect(s3.endpoint == "https://fra1.digitaloceanspaces.com")
        #expect(s3.credentials == S3Spec.Credentials(accessKeySecret: "spaces-key-id", secretKeySecret: "spaces-secret"))
        #expect(s3.buckets.map(\.name) == ["sprocket-staging-replays", "sprocket-staging-assets"])
        let replays = s3.buckets[0]
        #expect(replays.versioning == true)
        #expect(replays.lifecycle?.map(\.prefix) == ["tmp/"] && replays.lifecycle?.map(\.expireDays) == [7])
        #expect(replays.cors?.first?.origins == ["https://example.org"])
        #expect(replays.cors?.first?.methods == ["GET", "PUT"])
        #expect(replays.cors?.first?.maxAgeSeconds == 3600)
        #expect(replays.consumers == ["replay-parse", "api"])
        guard case .object(let document) = replays.policy, case .array(let statements) = document["Statement"],
            case .object(let statement) = statements.first
        else {
            Issue.record("policy not read: \(String(describing: replays.policy))")
            return
        }
        #expect(statement["Resource"] == .string("arn:aws:s3:::sprocket-staging-replays/*"))
        guard case .object(let inline) = s3.buckets[1].policy, case .array(let inlineStatements) = inline["Statement"],
            case .object(let first) = inlineStatements.first
        else {
            Issue.record("inline policy not read")
            return
        }
        #expect(first["Resource"] == .array([.string("arn:aws:s3:::sprocket-staging-assets/*")]))
        #expect(replays.location.line == 13)
    }

    @Test("settings left out stay nil, so the provisioner leaves them alone")
    func omittedSettingsAreNil() throws {
        let stack = try Self.load("s3:\n  region: us-east-1\n  buckets:\n    plain-bucket: {}\n")
        let bucket = try #require(stack.s3?.buckets.first)
        #expect(bucket.versioning == nil && bucket.lifecycle == nil && bucket.cors == nil && bucket.policy == nil)
        #expect(stack.s3?.endpoint == nil && stack.s3?.credentials == nil && stack.s3?.layer == nil)
        #expect(try Self.load("").s3 == nil)
    }

    @Test("invalid bucket names, ACLs and bad values are errors at their file:line:column", arguments: [
        ("s3:\n  region: r\n  buckets:\n    Sprocket-Replays: {}\n", "stack.yaml:9:5", "lowercase"),
        ("s3:\n  region: r\n  buckets:\n    ab: {}\n", "stack.yaml:9:5", "3 to 63"),
        ("s3:\n  region: r\n  buckets:\n    192.168.5.4: {}\n", "stack.yaml:9:5", "IP address"),
        ("s3:\n  region: r\n  buckets:\n    my..bucket: {}\n", "stack.yaml:9:5", "adjacent dots"),
        ("s3:\n  region: r\n  buckets:\n    -${subdomain}: {}\n", "stack.yaml:9:5", "begin and end"),
        ("s3:\n  region: r\n  buckets:\n    xn--bucket: {}\n", "stack.yaml:9:5", "reserves"),
        ("s3:\n  region: r\n  buckets:\n    good-bucket:\n      acl: public-read\n", "stack.yaml:10:7", "ACLs are deprecated"),
        ("s3:\n  region: r\n  buckets:\n    good-bucket:\n      lifecycle: [{prefix: tmp/}]\n", "stack.yaml:10", "no `expire_days`"),
        ("s3:\n  region: r\n  buckets:\n    good-bucket:\n      cors: [{origins: [x], methods: [PATCH]}]\n", "stack.yaml:10", "PATCH"),
        ("s3:\n  region: r\n  buckets:\n    good-bucket:\n      policy: {file: missing.json}\n", "stack.yaml:10", "does not exist"),
        ("s3:\n  buckets: {}\n", "stack.yaml:7", "needs a `region`"),
        ("s3:\n  region: r\n  layer: edge\n", "stack.yaml:7", "`edge`, which is not a layer"),
        ("s3:\n  region: r\n  endpoint: fra1.example\n", "stack.yaml:8", "not an http(s) URL"),
        ("s3:\n  region: r\n  credentials: {access_key_secret: a}\n", "stack.yaml:8", "needs `access_key_secret` and `secret_key_secret`"),
    ])
    func errors(s3: String, position: String, message: String) throws {
        let error = #expect(throws: SpecError.self) { try Self.load(s3) }
        let text = String(describing: error)
        #expect(text.contains(position) && text.contains(message), "\(text)")
    }

    @Test("a policy file that is not JSON is an error naming the file")
    func badPolicyFile() throws {
        let error = #expect(throws: SpecError.self) {
            try Self.load("s3:\n  region: r\n  buckets:\n    good-bucket:\n      policy: {file: p.json}\n", files: ["p.json": "{nope"])
        }
        #expect(String(describing: error).contains("p.json` is not valid JSON"))
    }

    @Test(arguments: [
        ("abc", nil), ("sprocket-staging-replays", nil), ("a.b-c.d", nil), ("a".padding(toLength: 63, withPad: "a", startingAt: 0), nil),
        ("a".padding(toLength: 64, withPad: "a", startingAt: 0), "3 to 63"), ("bucket-s3alias", "reserves"), ("under_score", "lowercase"),
        ("ends-", "begin and end"), ("1.2.3.4", "IP address"), ("1.2.3.bucket", nil),
    ] as [(String, String?)])
    func bucketNameRules(_ name: String, _ problem: String?) {
        let found = S3BucketName.problem(name)
        if let problem {
            #expect(found?.contains(problem) == true, "\(name): \(String(describing: found))")
        } else {
            #expect(found == nil, "\(name): \(String(describing: found))")
        }
    }
}
