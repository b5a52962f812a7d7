/// Line and column arithmetic over raw file bytes, for problems found before YAML parsing starts.
enum SpecTextPosition {
    /// The 1-based line and column (in Unicode scalars, as libyaml counts) of a UTF-8 byte offset.
    static func lineAndColumn(ofUTF8Offset offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        var consumed = 0
        for scalar in text.unicodeScalars {
            if consumed >= offset { break }
            consumed += UTF8.width(scalar)
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }

    /// Decodes UTF-8 (dropping a byte order mark), or returns the position of the first invalid byte.
    static func decodeUTF8(_ bytes: [UInt8]) -> Result<String, InvalidByte> {
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        var decoder = UTF8()
        var iterator = body.makeIterator()
        var scalars = String.UnicodeScalarView()
        var line = 1
        var column = 1
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                scalars.append(scalar)
                if scalar == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            case .emptyInput:
                return .success(String(scalars))
            case .error:
                return .failure(InvalidByte(line: line, column: column))
            }
        }
    }

    /// Where a file stops being valid UTF-8.
    struct InvalidByte: Error, Equatable {
        var line: Int
        var column: Int
    }
}
