/// The short Compose port form `[HOST:]TARGET[/PROTOCOL]`, restricted to what Swarm can publish.
enum PortParser {
    struct ShortPort: Equatable {
        var target: Int
        var published: Int?
        var transportProtocol: PortSpec.TransportProtocol
    }

    static func parseShort(_ text: String) -> Result<ShortPort, SpecValueProblem> {
        let input = ScalarParsers.trim(text)
        var body = Substring(input)
        var transport = PortSpec.TransportProtocol.tcp
        if let slash = input.lastIndex(of: "/") {
            let name = String(input[input.index(after: slash)...])
            guard let parsed = PortSpec.TransportProtocol(rawValue: name.lowercased()) else {
                return .failure(SpecValueProblem(
                    message: "unknown protocol `\(name)` in port `\(text)`",
                    hint: SpecSuggestions.hint(for: name, in: ["tcp", "udp", "sctp"], otherwise: "use `tcp`, `udp` or `sctp`")))
            }
            transport = parsed
            body = input[..<slash]
        }
        let parts = body.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count > 2 || body.contains("[") {
            return .failure(SpecValueProblem(
                message: "port `\(text)` binds a host address, which Swarm cannot do",
                hint: "Swarm publishes a port on every node; write `HOST:TARGET` (e.g. `\(parts.suffix(2).joined(separator: ":"))`) "
                    + "and restrict access with a firewall"))
        }
        if parts.contains(where: { $0.contains("-") }) {
            return .failure(SpecValueProblem(
                message: "port range `\(text)` is not supported",
                hint: "list each port on its own line, e.g. `8000:8000` and `8001:8001`"))
        }
        var numbers: [Int] = []
        for part in parts {
            guard let number = ScalarParsers.integer(String(part)), !part.hasPrefix("+") else {
                return .failure(SpecValueProblem(
                    message: "invalid port `\(text)`",
                    hint: "write `TARGET`, `HOST:TARGET` or `HOST:TARGET/udp`, e.g. `8080:80`"))
            }
            numbers.append(number)
        }
        guard let target = numbers.last else {
            return .failure(SpecValueProblem(message: "invalid port `\(text)`", hint: "write e.g. `8080:80`"))
        }
        return .success(ShortPort(target: target, published: numbers.count == 2 ? numbers.first : nil, transportProtocol: transport))
    }
}
