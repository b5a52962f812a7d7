/// The `key=value` fields of one log line in Traefik's console format (zerolog's): values are bare words or
/// Go-quoted strings (`error="… \"quoted\" …"`). Words that are not fields (the message) are skipped.
struct LogfmtFields: Sendable {
    private var values: [String: String] = [:]

    init(_ line: String) {
        let characters = Array(line)
        var index = 0
        while index < characters.count {
            // A key: a run of identifier characters directly followed by `=`, at the start of a word.
            let start = index
            while index < characters.count, Self.isKeyCharacter(characters[index]) { index += 1 }
            let atWordStart = start == 0 || characters[start - 1] == " "
            guard index > start, index < characters.count, characters[index] == "=", atWordStart else {
                index = max(index, start + 1)
                continue
            }
            let key = String(characters[start..<index])
            index += 1
            let value: String
            if index < characters.count, characters[index] == "\"" {
                (value, index) = Self.quoted(characters, from: index + 1)
            } else {
                let valueStart = index
                while index < characters.count, characters[index] != " " { index += 1 }
                value = String(characters[valueStart..<index])
            }
            if values[key] == nil { values[key] = value }
        }
    }

    subscript(key: String) -> String? { values[key] }

    private static func isKeyCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || character == "."
    }

    /// A Go-quoted string's text from just after its opening quote; returns the index after the closing quote.
    private static func quoted(_ characters: [Character], from start: Int) -> (String, Int) {
        var text = ""
        var index = start
        while index < characters.count {
            let character = characters[index]
            if character == "\"" { return (text, index + 1) }
            if character == "\\", index + 1 < characters.count {
                let next = characters[index + 1]
                switch next {
                case "n": text.append("\n")
                case "t": text.append("\t")
                default: text.append(next)
                }
                index += 2
                continue
            }
            text.append(character)
            index += 1
        }
        return (text, index)
    }
}
