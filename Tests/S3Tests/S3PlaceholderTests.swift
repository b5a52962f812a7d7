import Testing
@testable import S3

@Suite struct S3PlaceholderTests {}
