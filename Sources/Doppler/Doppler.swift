/// The Doppler module: reads secrets from Doppler (the platform's source of truth) over its REST API
/// (``DopplerClient``), and parses `.env`-style secret files strictly (``SecretEnvFileParser``).
///
/// Wire contract: `docs/wire-formats.md` §2. The library never reads the process environment itself; the CLI
/// passes it to ``DopplerConfiguration/fromEnvironment(_:)``.
public enum Doppler {}
