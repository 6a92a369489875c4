/// A decoded Redis reply.
public indirect enum RedisReply: Sendable, Equatable {
    case status(String)
    case error(String)
    case integer(Int64)
    case string(String)
    case array([RedisReply])
    case null

    public var string: String? {
        switch self {
        case .string(let value), .status(let value): return value
        case .integer(let value): return String(value)
        default: return nil
        }
    }

    public var array: [RedisReply]? {
        if case .array(let items) = self { return items }
        return nil
    }

    public var integer: Int64? {
        switch self {
        case .integer(let value): return value
        case .string(let value): return Int64(value)
        default: return nil
        }
    }
}

/// Why a Redis command did not succeed.
public struct RedisError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The server answered with an error reply; the connection is fine.
        case reply
        /// No answer: the server is unreachable, the connection was lost or timed out, or no
        /// Sentinel named a reachable primary. Worth retrying.
        case connection
        /// The server refused the credentials (WRONGPASS, NOAUTH) or the user's permissions
        /// (NOPERM). Retrying cannot help until the configuration or the ACL changes, so the
        /// message names the variable to fix.
        case authentication
    }

    public let message: String
    public let kind: Kind
    public var description: String { "redis: \(message)" }

    /// The server answered with an error reply (as opposed to a lost connection).
    public var isReply: Bool { kind == .reply }

    public init(_ message: String, isReply: Bool = false) {
        self.init(message, kind: isReply ? .reply : .connection)
    }

    public init(_ message: String, kind: Kind) {
        self.message = message
        self.kind = kind
    }

    /// An error reply that means the server is not (or no longer) the primary: a replica
    /// refusing a write, or a blocked command released because the server was demoted.
    var meansNotPrimary: Bool {
        kind == .reply && (message.hasPrefix("READONLY") || message.hasPrefix("UNBLOCKED") || message.hasPrefix("MASTERDOWN"))
    }

    /// An error reply about the credentials or the user's permissions.
    static func isAuthenticationReply(_ message: String) -> Bool {
        message.hasPrefix("WRONGPASS") || message.hasPrefix("NOAUTH") || message.hasPrefix("NOPERM")
            || message.contains("AUTH") && message.contains("without any password configured")
            || message.hasPrefix("ERR invalid password")
    }
}
