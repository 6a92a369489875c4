import Foundation
import NIOSSL
import PostgresNIO

/// A parsed `postgres://user:password@host:port/database[?sslmode=…&sslrootcert=…]` connection URL.
///
/// TLS follows libpq's `sslmode` (the values operators already write): `disable`; `prefer` and
/// `require` encrypt without checking the certificate (`require` with `sslrootcert` checks the
/// chain, as libpq does); `verify-ca` checks the chain against `sslrootcert` (or the system's
/// roots); `verify-full` also checks that the certificate names the host (a DNS name, or an IP
/// address SAN when the URL's host is an address). Without `sslmode`, a loopback server runs
/// without TLS (local runs and tests) and any other is asked for TLS verified against the
/// system's roots, falling back to plain text only if the server offers no TLS at all.
public struct DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, CaseIterable {
        case disable
        case prefer
        case require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    /// `sslmode`; nil when the URL does not say (see the type's comment).
    public var tlsMode: TLSMode?
    /// `sslrootcert`: a PEM file of the certificate authorities to trust.
    public var rootCertificatePath: String?

    public init(host: String, port: Int, username: String, password: String?, database: String, tlsMode: TLSMode? = nil, rootCertificatePath: String? = nil) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tlsMode = tlsMode
        self.rootCertificatePath = rootCertificatePath
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
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let mode = TLSMode(rawValue: value) else {
                    throw DatabaseURLError.invalidOption(name: "sslmode", value: item.value ?? "", expected: TLSMode.allCases.map(\.rawValue).joined(separator: ", "))
                }
                tlsMode = mode
            case "sslrootcert":
                guard let value = item.value, !value.isEmpty else {
                    throw DatabaseURLError.invalidOption(name: "sslrootcert", value: "", expected: "the path of a PEM file")
                }
                rootCertificatePath = value
            default:
                throw DatabaseURLError.invalidOption(name: item.name, value: item.value ?? "", expected: "one of sslmode, sslrootcert")
            }
        }
    }

    /// The same server, another database (used to reach the `postgres` maintenance database).
    public func with(database: String) -> DatabaseURL {
        var copy = self
        copy.database = database
        return copy
    }

    /// The pool configuration: TLS as `sslmode` says, the farm's session settings.
    public func clientConfiguration() throws -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch try tlsSetting() {
        case .none: tls = .disable
        case .prefer(let configuration): tls = .prefer(configuration)
        case .require(let configuration): tls = .require(configuration)
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls
        )
        configuration.options.additionalStartupParameters = Self.sessionSettings
        return configuration
    }

    enum TLSSetting {
        case none
        case prefer(TLSConfiguration)
        case require(TLSConfiguration)
    }

    var isLoopback: Bool { host == "127.0.0.1" || host == "localhost" || host == "::1" }

    /// What `sslmode` and `sslrootcert` mean for a connection (one reading for pools and
    /// single connections). A missing root file is an error here, before any connection.
    func tlsSetting() throws -> TLSSetting {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let rootCertificatePath {
            guard FileManager.default.isReadableFile(atPath: rootCertificatePath) else {
                throw DatabaseURLError.invalidOption(name: "sslrootcert", value: rootCertificatePath, expected: "a readable PEM file")
            }
            configuration.trustRoots = .file(rootCertificatePath)
        }
        switch tlsMode {
        case nil:
            return isLoopback ? .none : .prefer(configuration)
        case .disable:
            return .none
        case .prefer:
            configuration.certificateVerification = .none
            return .prefer(configuration)
        case .require:
            configuration.certificateVerification = rootCertificatePath == nil ? .none : .noHostnameVerification
            return .require(configuration)
        case .verifyCA:
            configuration.certificateVerification = .noHostnameVerification
            return .require(configuration)
        case .verifyFull:
            configuration.certificateVerification = .fullVerification
            return .require(configuration)
        }
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
        var options: [String] = []
        if let tlsMode { options.append("sslmode=\(tlsMode.rawValue)") }
        if let rootCertificatePath { options.append("sslrootcert=\(rootCertificatePath)") }
        return "postgres://\(username)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)"
            + (options.isEmpty ? "" : "?" + options.joined(separator: "&"))
    }
}

public enum DatabaseURLError: Error, CustomStringConvertible {
    case invalid(String)
    case missingDatabase(String)
    case invalidOption(name: String, value: String, expected: String)

    public var description: String {
        switch self {
        case .invalidOption(let name, let value, let expected): return "postgres URL option \(name)=\(value) is not \(expected)"
        case .invalid(let url): return "not a postgres:// URL: \(url)"
        case .missingDatabase(let url): return "postgres URL names no database: \(url)"
        }
    }
}

extension DatabaseURL {
    /// A single-connection configuration, for tools (the migrator) that need one session.
    public func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch try tlsSetting() {
        case .none: tls = .disable
        case .prefer(let configuration): tls = .prefer(try NIOSSLContext(configuration: configuration))
        case .require(let configuration): tls = .require(try NIOSSLContext(configuration: configuration))
        }
        return PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls
        )
    }
}
