/// One event from `GET /events`.
public struct SystemEvent: Codable, Sendable, Equatable {
    /// Object type: `service`, `container`, `network`, `config`, `secret`, `node`, …
    public var type: String?
    /// What happened: `create`, `update`, `remove`, `start`, `die`, …
    public var action: String?
    /// The object the event is about.
    public var actor: Actor?
    /// `local` or `swarm`.
    public var scope: String?
    /// Unix time in seconds.
    public var time: Int64?
    /// Unix time in nanoseconds.
    public var timeNano: Int64?

    /// Creates an event value (mostly useful in tests and fakes).
    public init(
        type: String? = nil, action: String? = nil, actor: Actor? = nil, scope: String? = nil, time: Int64? = nil,
        timeNano: Int64? = nil
    ) {
        self.type = type
        self.action = action
        self.actor = actor
        self.scope = scope
        self.time = time
        self.timeNano = timeNano
    }

    // Docker mixes PascalCase and lowerCamelCase keys in this one object.
    enum CodingKeys: String, CodingKey {
        case type = "Type", action = "Action", actor = "Actor", scope = "scope", time = "time"
        case timeNano = "timeNano"
    }

    /// The object an event is about.
    public struct Actor: Codable, Sendable, Equatable {
        /// Object ID.
        public var id: String?
        /// Extra facts such as `name`, `image` or `updatestate.new`.
        public var attributes: [String: String]?

        /// Creates an actor.
        public init(id: String? = nil, attributes: [String: String]? = nil) {
            self.id = id
            self.attributes = attributes
        }

        enum CodingKeys: String, CodingKey {
            case id = "ID", attributes = "Attributes"
        }
    }
}
