import Foundation

/// Reads typed configuration values from the process environment.
///
/// Settings have defaults for a local run; secrets have none in production (`DeploymentMode`,
/// `RepositorySecrets`). The README lists every variable.
public struct EnvironmentReader: Sendable {
    public let values: [String: String]

    public init(_ values: [String: String] = ProcessInfo.processInfo.environment) {
        self.values = values
    }

    public func string(_ key: String, default defaultValue: String) -> String {
        guard let value = values[key], !value.isEmpty else { return defaultValue }
        return value
    }

    public func optionalString(_ key: String) -> String? {
        guard let value = values[key], !value.isEmpty else { return nil }
        return value
    }

    public func int(_ key: String, default defaultValue: Int) throws -> Int {
        guard let raw = optionalString(key) else { return defaultValue }
        guard let value = Int(raw) else { throw ConfigurationError.invalid(key: key, value: raw, expected: "an integer") }
        return value
    }

    public func bool(_ key: String, default defaultValue: Bool) throws -> Bool {
        guard let raw = optionalString(key)?.lowercased() else { return defaultValue }
        switch raw {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ConfigurationError.invalid(key: key, value: raw, expected: "a boolean")
        }
    }
}

extension EnvironmentReader {
    /// The environment a configuration reads in `mode`: this one in production; in development
    /// this one over `RepositorySecrets.developmentEnvironment`, which fills what it leaves unset.
    public func resolved(for mode: DeploymentMode) -> EnvironmentReader {
        guard !mode.isProduction else { return self }
        var merged = RepositorySecrets.developmentEnvironment
        for (key, value) in values where !value.isEmpty { merged[key] = value }
        return EnvironmentReader(merged)
    }

    /// A value that must be set, or `ConfigurationError.insecure` naming it.
    public func required(_ key: String) throws -> String {
        guard let value = optionalString(key) else { throw ConfigurationError.insecure(["\(key) is not set"]) }
        return value
    }
}

public enum ConfigurationError: Error, CustomStringConvertible, Equatable {
    case invalid(key: String, value: String, expected: String)
    /// Production refuses to start: one line per offending variable.
    case insecure([String])
    /// The command does not run in this mode at all (the sandbox gateway, the demo seed).
    case refusedInProduction(String)

    public var description: String {
        switch self {
        case .invalid(let key, let value, let expected):
            return "environment variable \(key)=\(value) is not \(expected)"
        case .insecure(let problems):
            return "refusing to start in production (MATHFARM_ENV unset or production):\n"
                + problems.map { "  - \($0)" }.joined(separator: "\n")
                + "\nSet every secret from a secret store, or MATHFARM_ENV=development on a developer machine."
        case .refusedInProduction(let what):
            return "\(what) does not run in production; set MATHFARM_ENV=development on a developer machine"
        }
    }
}
