/// Whether a process runs for real users or on a developer's machine (`MATHFARM_ENV`).
///
/// Production is the default so that forgetting the variable can never leave a public server on
/// development keys: development must be asked for explicitly (`scripts/run-local.sh`, the tests,
/// `.ci/run`). In production every secret must come from the environment and none may be a
/// value written in this repository; a gateway without credentials is disabled; `/metrics` needs
/// its token; the sandbox gateway, the demo seed and the diagnostic problems refuse to run.
public enum DeploymentMode: String, Sendable, CaseIterable {
    case production
    case development

    public static let variable = "MATHFARM_ENV"

    /// `MATHFARM_ENV` unset or empty is production; any value other than the two names is an
    /// error (a typo such as `dev` must not silently mean production or development).
    public init(environment env: EnvironmentReader) throws {
        guard let raw = env.optionalString(Self.variable) else {
            self = .production
            return
        }
        guard let mode = DeploymentMode(rawValue: raw.lowercased()) else {
            throw ConfigurationError.invalid(key: Self.variable, value: raw, expected: "production or development")
        }
        self = mode
    }

    public var isProduction: Bool { self == .production }
}
