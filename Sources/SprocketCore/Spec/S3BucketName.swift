/// S3's rules for general-purpose bucket names, checked when the spec is loaded so that a bad name is an error at
/// its line, not a `InvalidBucketName` from the endpoint halfway through `up`.
public enum S3BucketName {
    private static let reservedPrefixes = ["xn--", "sthree-", "amzn-s3-demo-"]
    private static let reservedSuffixes = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"]

    /// Why `name` is not a valid bucket name, or nil when it is.
    public static func problem(_ name: String) -> String? {
        guard (3...63).contains(name.count) else {
            return "bucket name `\(name)` has \(name.count) characters; S3 allows 3 to 63"
        }
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "." || scalar == "-"
        }
        guard allowed else {
            return "bucket name `\(name)` may only contain lowercase letters, digits, dots and hyphens"
        }
        guard let first = name.unicodeScalars.first, let last = name.unicodeScalars.last,
            isLetterOrDigit(first), isLetterOrDigit(last)
        else {
            return "bucket name `\(name)` must begin and end with a letter or a digit"
        }
        if name.contains("..") { return "bucket name `\(name)` has two adjacent dots" }
        if looksLikeIPAddress(name) { return "bucket name `\(name)` is formatted as an IP address" }
        if let prefix = reservedPrefixes.first(where: name.hasPrefix) {
            return "bucket name `\(name)` starts with `\(prefix)`, which S3 reserves"
        }
        if let suffix = reservedSuffixes.first(where: name.hasSuffix) {
            return "bucket name `\(name)` ends with `\(suffix)`, which S3 reserves"
        }
        return nil
    }

    private static func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    private static func looksLikeIPAddress(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isNumber) }
    }
}
