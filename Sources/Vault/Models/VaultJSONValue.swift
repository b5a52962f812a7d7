import SprocketCore

/// Any JSON value, for the parts of Vault's API that are free-form (KV secret data, mount options, metadata): the
/// core's ``JSONValue``.
public typealias VaultJSONValue = JSONValue
