import Logging
import PostgresNIO
import ServiceLifecycle

/// The connection pools of the five databases, as one lifecycle service.
///
/// A process opens pools only for the databases it uses; `run()` keeps them all alive until
/// graceful shutdown.
public struct DatabasePools: Service, Sendable {
    public let databases: [ServiceDatabase: Database]

    public init(configuration: MathFarmConfiguration, only: Set<ServiceDatabase> = Set(ServiceDatabase.allCases), logger: Logger) throws {
        try self.init(urls: configuration.databases.filter { only.contains($0.key) }, logger: logger)
    }

    /// Pools for exactly the databases in `urls` (a worker host opens two).
    public init(urls: [ServiceDatabase: DatabaseURL], logger: Logger) throws {
        var databases: [ServiceDatabase: Database] = [:]
        for (name, url) in urls {
            let client = PostgresClient(configuration: try url.clientConfiguration(), backgroundLogger: logger)
            var dbLogger = logger
            dbLogger[metadataKey: "database"] = "\(name.rawValue)"
            databases[name] = Database(name: name, client: client, logger: dbLogger)
        }
        self.databases = databases
    }

    public subscript(_ name: ServiceDatabase) -> Database {
        guard let database = databases[name] else {
            preconditionFailure("database \(name.rawValue) was not opened by this process")
        }
        return database
    }

    public func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            for database in databases.values {
                group.addTask { await database.client.run() }
            }
        }
    }
}
