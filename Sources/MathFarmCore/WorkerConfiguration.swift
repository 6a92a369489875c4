import Foundation

/// What a worker host needs to know, and nothing more: Redis, the solver and payment databases,
/// and the job settings.
///
/// A machine that only solves holds no token key, no settings key, no gateway credentials and
/// no connection to the user, content or admin databases, so losing one leaks none of them;
/// production refuses to start it only for what it uses (the connection strings).
public struct WorkerConfiguration: Sendable {
    /// The databases a worker writes: the job record and the money.
    public static let databases: [ServiceDatabase] = [.solver, .payment]

    public var mode: DeploymentMode
    public let environment: EnvironmentReader
    public private(set) var databases: [ServiceDatabase: DatabaseURL]
    public var redis: RedisConfiguration
    public var redisPrefix: String
    public var jobs: JobSettings

    public init(environment env: EnvironmentReader = EnvironmentReader()) throws {
        environment = env
        mode = try DeploymentMode(environment: env)
        let problems = RepositorySecrets.workerProblems(in: env, mode: mode)
        guard problems.isEmpty else { throw ConfigurationError.insecure(problems) }
        let secrets = env.resolved(for: mode)
        databases = try ServiceDatabase.connectionURLs(Self.databases, environment: env, resolved: secrets)
        redis = try RedisConfiguration(url: try secrets.required("MATHFARM_REDIS_URL"), environment: env)
        redisPrefix = env.string("MATHFARM_REDIS_PREFIX", default: "mathfarm")
        jobs = try JobSettings(environment: env)
    }
}

extension ServiceDatabase {
    /// The connection URLs of `databases`: each database's own variable, else the server-wide
    /// `MATHFARM_PG_URL` with the database's name. `secrets` is the environment resolved for the
    /// mode (development's local server comes only from there).
    public static func connectionURLs(
        _ databases: [ServiceDatabase], environment env: EnvironmentReader, resolved secrets: EnvironmentReader
    ) throws -> [ServiceDatabase: DatabaseURL] {
        let baseURL = try secrets.optionalString("MATHFARM_PG_URL").map { try DatabaseURL(parsing: $0) }
        var urls: [ServiceDatabase: DatabaseURL] = [:]
        for database in databases {
            if let explicit = env.optionalString(database.urlVariable) {
                urls[database] = try DatabaseURL(parsing: explicit)
            } else if let baseURL {
                urls[database] = baseURL.with(database: database.rawValue)
            } else {
                throw ConfigurationError.insecure(["MATHFARM_PG_URL is not set and \(database.urlVariable) neither"])
            }
        }
        return urls
    }
}
