/// Why pebble could not be had for a test: each case says what to run or look at.
public enum PebbleSwarmError: Error, CustomStringConvertible {
    case noPebble
    case imageMissing(String)
    case certificate(String)
    case didNotStart(String, logs: [String])
    case management(String)

    public var description: String {
        switch self {
        case .noPebble:
            "SPROCKET_TEST_PEBBLE is not set: run the tests through scripts/test, which installs Debian's pebble"
        case .imageMissing(let image):
            "the pebble image \(image) does not exist on this daemon: run scripts/build-images (scripts/test does)"
        case .certificate(let reason):
            reason
        case .didNotStart(let reason, let logs):
            "pebble did not start: \(reason)\n" + logs.suffix(30).map { "    \($0)" }.joined(separator: "\n")
        case .management(let reason):
            "pebble's management API: \(reason)"
        }
    }
}
