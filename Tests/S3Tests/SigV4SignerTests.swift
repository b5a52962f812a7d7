import Foundation
import Testing
@testable import S3

/// The signer against the example requests AWS publishes for S3 header-based SigV4 authentication
/// (examplebucket, AKIAIOSFODNN7EXAMPLE, 24 May 2013): the expected signatures are AWS's, not ours.
@Suite struct SigV4SignerTests {
    struct Example: Sendable, CustomStringConvertible {
        var description: String
        var method: String
        var path: String
        var query: [(name: String, value: String)]
        var extraHeaders: [(name: String, value: String)]
        var payloadHash: String
        var signedHeaders: String
        var signature: String
    }

    static let signer = SigV4Signer(
        credentials: S3Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1")
    /// 2013-05-24T00:00:00Z.
    static let date = Date(timeIntervalSince1970: 1_369_353_600)

    static let examples = [
        Example(
            description: "GET object with a range", method: "GET", path: "/test.txt", query: [], extraHeaders: [("Range", "bytes=0-9")],
            payloadHash: SigV4Signer.emptyPayloadHash, signedHeaders: "host;range;x-amz-content-sha256;x-amz-date",
            signature: "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"),
        Example(
            description: "PUT object", method: "PUT", path: "/" + SigV4Signer.encode("test$file.text", keepSlash: true), query: [],
            extraHeaders: [("Date", "Fri, 24 May 2013 00:00:00 GMT"), ("x-amz-storage-class", "REDUCED_REDUNDANCY")],
            payloadHash: SigV4Signer.sha256Hex(Data("Welcome to Amazon S3.".utf8)),
            signedHeaders: "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
            signature: "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"),
        Example(
            description: "GET bucket lifecycle", method: "GET", path: "/", query: [("lifecycle", "")], extraHeaders: [],
            payloadHash: SigV4Signer.emptyPayloadHash, signedHeaders: "host;x-amz-content-sha256;x-amz-date",
            signature: "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"),
        Example(
            description: "list objects", method: "GET", path: "/", query: [("prefix", "J"), ("max-keys", "2")], extraHeaders: [],
            payloadHash: SigV4Signer.emptyPayloadHash, signedHeaders: "host;x-amz-content-sha256;x-amz-date",
            signature: "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"),
    ]

    @Test(arguments: examples)
    func signsAWSExampleRequest(_ example: Example) {
        let headers: [(name: String, value: String)] = [
            ("Host", "examplebucket.s3.amazonaws.com"), ("x-amz-date", "20130524T000000Z"), ("x-amz-content-sha256", example.payloadHash),
        ] + example.extraHeaders
        let request = SigV4Signer.Request(
            method: example.method, encodedPath: example.path, query: example.query, headers: headers, payloadHash: example.payloadHash)
        let authorization = Self.signer.authorization(for: request, at: Self.date)
        #expect(authorization == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            + "SignedHeaders=\(example.signedHeaders),Signature=\(example.signature)")
    }

    @Test func canonicalRequestOfThePutExampleMatchesAWS() {
        let hash = SigV4Signer.sha256Hex(Data("Welcome to Amazon S3.".utf8))
        let request = SigV4Signer.Request(
            method: "PUT", encodedPath: "/test%24file.text",
            headers: [
                ("Host", "examplebucket.s3.amazonaws.com"), ("Date", "Fri, 24 May 2013 00:00:00 GMT"), ("x-amz-date", "20130524T000000Z"),
                ("x-amz-storage-class", "REDUCED_REDUNDANCY"), ("x-amz-content-sha256", hash),
            ],
            payloadHash: hash)
        #expect(hash == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        #expect(SigV4Signer.canonicalRequest(request) == """
            PUT
            /test%24file.text

            date:Fri, 24 May 2013 00:00:00 GMT
            host:examplebucket.s3.amazonaws.com
            x-amz-content-sha256:44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072
            x-amz-date:20130524T000000Z
            x-amz-storage-class:REDUCED_REDUNDANCY

            date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class
            44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072
            """)
    }

    @Test func amzDateIsUTCBasicFormat() {
        #expect(SigV4Signer.amzDate(Self.date) == "20130524T000000Z")
        #expect(SigV4Signer.amzDate(Date(timeIntervalSince1970: 1_369_353_600 + 3_723)) == "20130524T010203Z")
    }

    @Test(arguments: [
        ("a b", false, "a%20b"), ("a/b", true, "a/b"), ("a/b", false, "a%2Fb"), ("~._-", false, "~._-"), ("é", false, "%C3%A9"),
        ("x=y&z", false, "x%3Dy%26z"),
    ])
    func encodesLikeSigV4(_ text: String, _ keepSlash: Bool, _ expected: String) {
        #expect(SigV4Signer.encode(text, keepSlash: keepSlash) == expected)
    }

    @Test func credentialsNeverShowTheSecret() {
        let canary = "CANARY-secret-\(UUID().uuidString)"
        let credentials = S3Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: canary, sessionToken: "token-\(canary)")
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in ["\(credentials)", String(reflecting: credentials), dumped] {
            #expect(!text.contains(canary))
            #expect(text.contains("AKIDEXAMPLE"))
        }
    }
}
