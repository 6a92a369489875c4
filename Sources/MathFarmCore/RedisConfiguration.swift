import Foundation

/// How to reach the farm's Redis, as operators run it: a user and password (Redis 6 ACLs, or the
/// single `requirepass`), a database index, a small pool of connections, and optionally a set of
/// Sentinels that name the current primary.
///
/// Read from `MATHFARM_REDIS_URL` (`redis://[user[:password]@]host[:port][/db]`, or
/// `redis://:password@host` for a password without a user) and, for Sentinel,
/// `MATHFARM_REDIS_SENTINELS` (`host:port,host:port,…`), `MATHFARM_REDIS_MASTER` (the monitored
/// name), `MATHFARM_REDIS_SENTINEL_USERNAME` and `MATHFARM_REDIS_SENTINEL_PASSWORD` (the
/// Sentinels' own credentials, which are not the primary's). With Sentinels, the URL's host and
/// port are not used; its credentials and database index are.
public struct RedisConfiguration: Sendable, Equatable {
    /// Credentials of one Redis server (the primary, or a Sentinel).
    public struct Credentials: Sendable, Equatable {
        /// ACL user; nil authenticates as the default user (`AUTH password`).
        public var username: String?
        public var password: String?

        public init(username: String? = nil, password: String? = nil) {
            self.username = username
            self.password = password
        }

        /// The AUTH command these credentials send, or nil when there is nothing to send.
        var authCommand: [String]? {
            guard let password else { return nil }
            if let username { return ["AUTH", username, password] }
            return ["AUTH", password]
        }
    }

    /// A host and port.
    public struct Address: Sendable, Equatable, CustomStringConvertible {
        public var host: String
        public var port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }

        public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

        /// `host:port` or `[v6]:port`.
        init?(parsing text: Substring, defaultPort: Int) {
            let item = text.trimmingCharacters(in: .whitespaces)
            guard !item.isEmpty else { return nil }
            if item.hasPrefix("["), let close = item.firstIndex(of: "]") {
                let host = String(item[item.index(after: item.startIndex)..<close])
                let rest = item[item.index(after: close)...]
                if rest.isEmpty { self.init(host: host, port: defaultPort); return }
                guard rest.hasPrefix(":"), let port = Int(rest.dropFirst()), (1...65535).contains(port) else { return nil }
                self.init(host: host, port: port)
                return
            }
            let parts = item.split(separator: ":", omittingEmptySubsequences: false)
            guard !parts[0].isEmpty, parts.count <= 2 else { return nil }
            guard parts.count == 2 else { self.init(host: String(parts[0]), port: defaultPort); return }
            guard let port = Int(parts[1]), (1...65535).contains(port) else { return nil }
            self.init(host: String(parts[0]), port: port)
        }
    }

    /// Sentinels that monitor the primary under `masterName`.
    public struct Sentinel: Sendable, Equatable {
        public var addresses: [Address]
        public var masterName: String
        public var credentials: Credentials

        public init(addresses: [Address], masterName: String, credentials: Credentials = Credentials()) {
            self.addresses = addresses
            self.masterName = masterName
            self.credentials = credentials
        }
    }

    /// The server named by the URL (used when there are no Sentinels).
    public var address: Address
    /// The primary's credentials.
    public var credentials: Credentials
    /// `SELECT`ed on every connection.
    public var database: Int
    public var sentinel: Sentinel?
    /// Connections per client, each used by one command at a time.
    public var poolSize: Int
    /// Connect and command timeout (a blocking read adds its own block time).
    public var timeout: Duration

    public init(
        address: Address, credentials: Credentials = Credentials(), database: Int = 0, sentinel: Sentinel? = nil,
        poolSize: Int = 4, timeout: Duration = .seconds(2)
    ) {
        self.address = address
        self.credentials = credentials
        self.database = database
        self.sentinel = sentinel
        self.poolSize = max(1, poolSize)
        self.timeout = timeout
    }

    /// Parses a `redis://` URL. The password never appears in the error.
    public init(url: String, poolSize: Int = 4, timeout: Duration = .seconds(2)) throws {
        guard let components = URLComponents(string: url), components.scheme == "redis" else {
            throw RedisConfigurationError.invalidURL(Self.masked(url))
        }
        guard let host = components.host, !host.isEmpty else { throw RedisConfigurationError.invalidURL(Self.masked(url)) }
        let port = components.port ?? 6379
        guard (1...65535).contains(port) else { throw RedisConfigurationError.invalidURL(Self.masked(url)) }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let database: Int
        if path.isEmpty {
            database = 0
        } else if let index = Int(path), (0...65535).contains(index) {
            database = index
        } else {
            throw RedisConfigurationError.invalidDatabase(path)
        }
        // URLComponents leaves the userinfo percent-encoded in `percentEncodedUser`; `user` and
        // `password` decode it, so a password with `@` or `:` is written %40 / %3A in the URL.
        let user = components.user.flatMap { $0.isEmpty ? nil : $0 }
        let password = components.password.flatMap { $0.isEmpty ? nil : $0 }
        // A user without a password cannot authenticate (`AUTH` needs one): refuse rather than
        // guess whether it was meant as a password.
        guard user == nil || password != nil else { throw RedisConfigurationError.userWithoutPassword }
        self.init(
            address: Address(host: host, port: port), credentials: Credentials(username: user, password: password),
            database: database, poolSize: poolSize, timeout: timeout
        )
    }

    /// The configuration the environment describes. `url` is the already-resolved
    /// `MATHFARM_REDIS_URL` (production has no default for it).
    public init(url: String, environment env: EnvironmentReader) throws {
        let poolSize = try env.int("MATHFARM_REDIS_POOL", default: 4)
        guard (1...64).contains(poolSize) else {
            throw ConfigurationError.invalid(key: "MATHFARM_REDIS_POOL", value: String(poolSize), expected: "between 1 and 64")
        }
        let timeoutMs = try env.int("MATHFARM_REDIS_TIMEOUT_MS", default: 2_000)
        guard (50...60_000).contains(timeoutMs) else {
            throw ConfigurationError.invalid(key: "MATHFARM_REDIS_TIMEOUT_MS", value: String(timeoutMs), expected: "50 to 60000 milliseconds")
        }
        do {
            try self.init(url: url, poolSize: poolSize, timeout: .milliseconds(timeoutMs))
        } catch let error as RedisConfigurationError {
            throw ConfigurationError.invalid(key: "MATHFARM_REDIS_URL", value: Self.masked(url), expected: "a redis:// URL (\(error))")
        }
        if let list = env.optionalString("MATHFARM_REDIS_SENTINELS") {
            var addresses: [Address] = []
            for item in list.split(separator: ",") {
                guard let address = Address(parsing: item, defaultPort: 26379) else {
                    throw ConfigurationError.invalid(key: "MATHFARM_REDIS_SENTINELS", value: list, expected: "host:port[,host:port…]")
                }
                addresses.append(address)
            }
            guard !addresses.isEmpty else {
                throw ConfigurationError.invalid(key: "MATHFARM_REDIS_SENTINELS", value: list, expected: "host:port[,host:port…]")
            }
            sentinel = Sentinel(
                addresses: addresses, masterName: env.string("MATHFARM_REDIS_MASTER", default: "mathfarm"),
                credentials: Credentials(
                    username: env.optionalString("MATHFARM_REDIS_SENTINEL_USERNAME"),
                    password: env.optionalString("MATHFARM_REDIS_SENTINEL_PASSWORD")
                )
            )
        }
    }

    /// Where this configuration points, without secrets (for logs and errors).
    public var summary: String {
        let who = credentials.username.map { "\($0)@" } ?? (credentials.password == nil ? "" : "(password)@")
        if let sentinel {
            return "redis primary '\(sentinel.masterName)' via sentinels \(sentinel.addresses.map(\.description).joined(separator: ",")) as \(who.isEmpty ? "default user" : who.dropLast()) db \(database)"
        }
        return "redis://\(who)\(address)/\(database)"
    }

    /// The URL with its password replaced by `***`.
    static func masked(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? "(unparsable)"
    }
}

public enum RedisConfigurationError: Error, CustomStringConvertible, Equatable {
    case invalidURL(String)
    case invalidDatabase(String)
    case userWithoutPassword

    public var description: String {
        switch self {
        case .invalidURL(let url): return "not a redis://[user[:password]@]host[:port][/db] URL: \(url)"
        case .invalidDatabase(let path): return "the database index must be a number, not '\(path)'"
        case .userWithoutPassword: return "a user needs a password (redis://user:password@host, or redis://:password@host for the default user)"
        }
    }
}
