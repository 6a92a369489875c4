import Foundation
import NIOSSL
import PostgresNIO

/// A parsed `postgres://user:password@host:port/database` connection URL.
public struct DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String

    public init(host: String, port: Int, username: String, password: String?, database: String) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
    }

    public init(parsing string: String) throws {
        guard let components = URLComponents(string: string),
              let scheme = components.scheme, scheme == "postgres" || scheme == "postgresql",
              let host = components.host, !host.isEmpty
        else { throw DatabaseURLError.invalid(string) }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !path.isEmpty, !path.contains("/") else { throw DatabaseURLError.missingDatabase(string) }
        self.host = host
        self.port = components.port ?? 5432
        self.username = components.user ?? "postgres"
        self.password = components.password
        self.database = path
    }

    /// The same server, another database (used to reach the `postgres` maintenance database).
    public func with(database: String) -> DatabaseURL {
        var copy = self
        copy.database = database
        return copy
    }

    /// Loopback servers run without TLS locally and in CI; anything else prefers TLS.
    public var clientConfiguration: PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        if host == "127.0.0.1" || host == "localhost" || host == "::1" {
            tls = .disable
        } else {
            tls = .prefer(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls
        )
        configuration.options.additionalStartupParameters = Self.sessionSettings
        return configuration
    }

    /// Every statement is planned for its own parameters. The farm's hot statements are
    /// prepared once per connection, and PostgreSQL switches a prepared statement to a generic
    /// plan after five runs, costed with the statistics of that moment and kept until the table
    /// is next analyzed. On a new database those statistics say the tables are empty, so the
    /// claim, the finish and the settlement's owner lookup kept sequential scans of `solutions`
    /// and `transactions` while the tables grew to tens of thousands of rows (auto_explain of a
    /// 60 s sustained-rate run). A custom plan costs about 0.05–0.1 ms of planning and follows the
    /// table as it is.
    static let sessionSettings: [(String, String)] = [("plan_cache_mode", "force_custom_plan")]

    /// Printable form with the password masked.
    public var description: String {
        "postgres://\(username)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)"
    }
}

public enum DatabaseURLError: Error, CustomStringConvertible {
    case invalid(String)
    case missingDatabase(String)

    public var description: String {
        switch self {
        case .invalid(let url): return "not a postgres:// URL: \(url)"
        case .missingDatabase(let url): return "postgres URL names no database: \(url)"
        }
    }
}

extension DatabaseURL {
    /// A single-connection configuration, for tools (the migrator) that need one session.
    public func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        if host == "127.0.0.1" || host == "localhost" || host == "::1" {
            tls = .disable
        } else {
            tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        return PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls
        )
    }
}
