/// The Vault module: an HTTP API client for HashiCorp Vault (and OpenBao), and the key custody around it.
public enum Vault {}
