/// The fields services and middlewares share in the API (`name`, `provider`, `type`, `status`, `usedBy`,
/// `error`), decoded once for both.
struct TraefikResourceFields: Decodable {
    var name: String
    var provider: String?
    var type: String?
    var status: TraefikStatus?
    var usedBy: [String]
    var errors: [String]

    enum CodingKeys: String, CodingKey {
        case name, provider, type, status, usedBy
        case errors = "error"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        provider = try container.decodeIfPresent(String.self, forKey: .provider)
        type = try container.decodeIfPresent(String.self, forKey: .type)
        status = try container.decodeIfPresent(TraefikStatus.self, forKey: .status)
        usedBy = try container.decodeIfPresent([String].self, forKey: .usedBy) ?? []
        errors = try container.decodeIfPresent([String].self, forKey: .errors) ?? []
    }
}
