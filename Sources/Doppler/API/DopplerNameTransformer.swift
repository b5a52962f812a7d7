/// The `name_transformer` query parameter of the download endpoint (docs/wire-formats.md §2.1): Doppler renames every
/// secret on its side before answering, e.g. `API_KEY` → `apiKey` with ``camel``.
///
/// The client only passes the choice on; the returned dictionary is keyed by the transformed names.
public enum DopplerNameTransformer: String, Sendable, CaseIterable, Codable {
    /// `API_KEY` → `apiKey`.
    case camel
    /// `API_KEY` → `ApiKey`.
    case upperCamel = "upper-camel"
    /// `API_KEY` → `api_key`.
    case lowerSnake = "lower-snake"
    /// `API_KEY` → `TF_VAR_api_key` (Terraform input variables).
    case tfVar = "tf-var"
    /// `SMTP__USER_NAME` → `Smtp:UserName` (.NET configuration keys; not valid as environment variable names).
    case dotnet
    /// `SMTP__USER_NAME` → `Smtp__UserName` (.NET configuration through environment variables).
    case dotnetEnv = "dotnet-env"
    /// `API_KEY` → `api-key`.
    case lowerKebab = "lower-kebab"
}
