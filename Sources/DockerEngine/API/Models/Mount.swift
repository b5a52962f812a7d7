extension ContainerSpec {
    /// A mount into a service's containers (`ContainerSpec.Mounts[]`).
    public struct Mount: Codable, Sendable, Equatable {
        /// Path inside the container.
        public var target: String?
        /// Volume name or host path; empty or nil for tmpfs.
        public var source: String?
        /// `bind`, `volume`, `tmpfs` or `npipe`.
        public var type: String?
        /// Mount read-only.
        public var readOnly: Bool?
        /// `default`, `consistent`, `cached` or `delegated` (meaningful on Docker Desktop only).
        public var consistency: String?
        /// Options for `bind` mounts.
        public var bindOptions: BindOptions?
        /// Options for `volume` mounts.
        public var volumeOptions: VolumeOptions?
        /// Options for `tmpfs` mounts.
        public var tmpfsOptions: TmpfsOptions?

        /// Creates a mount.
        public init(
            target: String? = nil, source: String? = nil, type: String? = nil, readOnly: Bool? = nil,
            consistency: String? = nil, bindOptions: BindOptions? = nil, volumeOptions: VolumeOptions? = nil,
            tmpfsOptions: TmpfsOptions? = nil
        ) {
            self.target = target
            self.source = source
            self.type = type
            self.readOnly = readOnly
            self.consistency = consistency
            self.bindOptions = bindOptions
            self.volumeOptions = volumeOptions
            self.tmpfsOptions = tmpfsOptions
        }

        enum CodingKeys: String, CodingKey {
            case target = "Target", source = "Source", type = "Type", readOnly = "ReadOnly"
            case consistency = "Consistency", bindOptions = "BindOptions", volumeOptions = "VolumeOptions"
            case tmpfsOptions = "TmpfsOptions"
        }
    }
}

extension ContainerSpec.Mount {
    /// Options for bind mounts.
    public struct BindOptions: Codable, Sendable, Equatable {
        /// `private`, `rprivate`, `shared`, `rshared`, `slave` or `rslave`.
        public var propagation: String?

        /// Creates bind options.
        public init(propagation: String? = nil) {
            self.propagation = propagation
        }

        enum CodingKeys: String, CodingKey {
            case propagation = "Propagation"
        }
    }

    /// Options for volume mounts.
    public struct VolumeOptions: Codable, Sendable, Equatable {
        /// Do not copy the image's files at the target into a new volume.
        public var noCopy: Bool?
        /// Labels for a volume Docker creates on the fly.
        public var labels: [String: String]?
        /// The driver for a volume Docker creates on the fly.
        public var driverConfig: DriverConfig?

        /// Creates volume options.
        public init(noCopy: Bool? = nil, labels: [String: String]? = nil, driverConfig: DriverConfig? = nil) {
            self.noCopy = noCopy
            self.labels = labels
            self.driverConfig = driverConfig
        }

        enum CodingKeys: String, CodingKey {
            case noCopy = "NoCopy", labels = "Labels", driverConfig = "DriverConfig"
        }
    }

    /// Options for tmpfs mounts.
    public struct TmpfsOptions: Codable, Sendable, Equatable {
        /// Size limit in bytes.
        public var sizeBytes: Int64?
        /// File mode of the tmpfs root, e.g. `0o1777` (1023).
        public var mode: UInt32?

        /// Creates tmpfs options.
        public init(sizeBytes: Int64? = nil, mode: UInt32? = nil) {
            self.sizeBytes = sizeBytes
            self.mode = mode
        }

        enum CodingKeys: String, CodingKey {
            case sizeBytes = "SizeBytes", mode = "Mode"
        }
    }
}
