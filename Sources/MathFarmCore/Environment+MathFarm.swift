import Foundation

/// Reads typed configuration values from the process environment.
///
/// Every setting has a local default so `mathfarm` runs on a developer machine with no
/// configuration at all; production overrides them. The README lists every variable.
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

public enum ConfigurationError: Error, CustomStringConvertible, Equatable {
    case invalid(key: String, value: String, expected: String)

    public var description: String {
        switch self {
        case .invalid(let key, let value, let expected):
            return "environment variable \(key)=\(value) is not \(expected)"
        }
    }
}
