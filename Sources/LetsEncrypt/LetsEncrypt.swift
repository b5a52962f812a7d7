/// The Let's Encrypt module: what keeps certificate issuance out of trouble (DNS preflight, the local
/// issuance ledger, staging first).
public enum LetsEncrypt {}
