import SprocketCore
/// The Vault module: an HTTP API client for HashiCorp Vault (and OpenBao), and the key custody around it.
///
/// - ``VaultClient``: `sys/init`, `sys/seal-status`, `sys/unseal`, `sys/seal`, `sys/health`, `sys/mounts`, KV v2
///   (data, metadata, delete/undelete/destroy, config), ACL policies (`sys/policies/acl`) and tokens
///   (`auth/token/…`). Configured by ``VaultClientConfiguration`` (`VAULT_ADDR`, `VAULT_TOKEN`, `VAULT_CACERT`,
///   `VAULT_NAMESPACE`, read only by the CLI through ``VaultClientConfiguration/fromEnvironment(_:)``).
/// - Errors: every status ≥ 400 becomes a ``VaultClientError`` naming the API path, with Vault's own
///   `{"errors":[…]}` messages (go-multierror wrapping removed). `sys/health` codes are states
///   (``VaultHealthState``), not errors.
/// - Secrets: tokens, unseal keys and secret values are ``VaultSecretString`` / ``VaultSecretData``, whose
///   descriptions and mirrors are redacted.
/// - KV v2 paths: ``VaultKVPath`` and ``VaultKVPolicyRule`` derive `<mount>/data/…` and `<mount>/metadata/…`
///   from logical paths, so KV v1-style paths cannot slip in.
/// - Call accounting: every request is counted in the client's ``VaultCallCounter`` (pass one to all the clients
///   of a run), as ``APICallStats`` `{total, mutating, byRoute}`; mutating by what the endpoint does.
///
/// Not covered: auth methods other than tokens, leases of dynamic secrets, response wrapping, KV v1, Enterprise
/// replication endpoints.
public enum Vault {}
