import Crypto
import Foundation
import Logging
import PostgresNIO

/// Applies the SQL files under `migrations/<database>/NNNN_name.sql` in order.
///
/// - Creates a missing database first (through the server's `postgres` maintenance database).
/// - Holds a session advisory lock while it works, so two processes migrating at once queue up
///   instead of racing.
/// - Applies each pending file and records it in `schema_migrations` in one transaction.
/// - Refuses to do anything when an applied file's SHA-256 no longer matches what was recorded:
///   history is append-only, a change needs a new file.
public struct Migrator: Sendable {
    public struct Migration: Sendable, Equatable {
        public let version: Int
        public let name: String
        public let sql: String
        public let checksum: String
    }

    public struct Report: Sendable, Equatable {
        public var createdDatabase: Bool
        public var applied: [String]
    }

    public let migrationsDirectory: String
    public let logger: Logger

    /// Arbitrary constant: the advisory-lock key that serialises migrators on one database.
    static let advisoryLockKey: Int64 = 0x6D61_7468_6661_726D

    public init(migrationsDirectory: String, logger: Logger) {
        self.migrationsDirectory = migrationsDirectory
        self.logger = logger
    }

    /// Reads and orders one database's migration files.
    public func migrations(for database: ServiceDatabase) throws -> [Migration] {
        let folder = URL(fileURLWithPath: migrationsDirectory).appendingPathComponent(database.migrationsFolder)
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw MigrationError.missingDirectory(folder.path)
        }
        var migrations: [Migration] = []
        for file in names where file.hasSuffix(".sql") {
            let stem = file.dropLast(4)
            guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]) else {
                throw MigrationError.badFileName(file)
            }
            let data = try Data(contentsOf: folder.appendingPathComponent(file))
            guard let sql = String(data: data, encoding: .utf8) else { throw MigrationError.badFileName(file) }
            let checksum = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            migrations.append(Migration(version: version, name: String(stem), sql: sql, checksum: checksum))
        }
        migrations.sort { $0.version < $1.version }
        for (previous, next) in zip(migrations, migrations.dropFirst()) where previous.version == next.version {
            throw MigrationError.duplicateVersion(next.version)
        }
        return migrations
    }

    /// Creates the database if needed and applies its pending migrations.
    public func migrate(_ database: ServiceDatabase, url: DatabaseURL) async throws -> Report {
        let pending = try migrations(for: database)
        let created = try await createDatabaseIfMissing(url)
        let connection = try await PostgresConnection.connect(
            configuration: try url.connectionConfiguration(), id: 1, logger: logger
        )
        do {
            let applied = try await migrate(connection: connection, migrations: pending)
            try await connection.close()
            return Report(createdDatabase: created, applied: applied)
        } catch {
            try? await connection.close()
            throw error
        }
    }

    private func migrate(connection: PostgresConnection, migrations: [Migration]) async throws -> [String] {
        // Session-scoped: released when the caller closes the connection, on failure too.
        try await connection.query("SELECT pg_advisory_lock(\(Self.advisoryLockKey))", logger: logger)
        try await connection.query("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                checksum CHAR(64) NOT NULL,
                execution_ms INTEGER NOT NULL,
                applied_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
            )
            """, logger: logger)
        var recorded: [Int: String] = [:]
        for try await (version, checksum) in try await connection.query(
            "SELECT version, checksum FROM schema_migrations", logger: logger
        ).decode((Int, String).self) {
            recorded[version] = checksum
        }
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        for (version, checksum) in recorded.sorted(by: { $0.key < $1.key }) {
            guard let migration = known[version] else { throw MigrationError.appliedFileMissing(version) }
            guard migration.checksum == checksum else { throw MigrationError.checksumMismatch(migration.name) }
        }
        var applied: [String] = []
        for migration in migrations where recorded[migration.version] == nil {
            let started = ContinuousClock.now
            try await connection.query("BEGIN", logger: logger)
            do {
                for statement in SQLScript.statements(migration.sql) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                let ms = (ContinuousClock.now - started).wholeMilliseconds
                try await connection.query("""
                    INSERT INTO schema_migrations (version, name, checksum, execution_ms)
                    VALUES (\(migration.version), \(migration.name), \(migration.checksum), \(ms))
                    """, logger: logger)
                try await connection.query("COMMIT", logger: logger)
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw MigrationError.failed(migration.name, String(reflecting: error))
            }
            logger.info("applied migration", metadata: ["migration": "\(migration.name)"])
            applied.append(migration.name)
        }
        return applied
    }

    func createDatabaseIfMissing(_ url: DatabaseURL) async throws -> Bool {
        guard url.database.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw MigrationError.badDatabaseName(url.database)
        }
        let maintenance = try await PostgresConnection.connect(
            configuration: try url.with(database: "postgres").connectionConfiguration(), id: 0, logger: logger
        )
        do {
            let created = try await createDatabaseIfMissing(url.database, maintenance: maintenance)
            try await maintenance.close()
            return created
        } catch {
            try? await maintenance.close()
            throw error
        }
    }

    private func createDatabaseIfMissing(_ name: String, maintenance: PostgresConnection) async throws -> Bool {
        let rows = try await maintenance.query(
            "SELECT 1 FROM pg_database WHERE datname = \(name)", logger: logger
        ).collectRows()
        guard rows.isEmpty else { return false }
        do {
            // Identifiers cannot be bound; the name was checked to be [A-Za-z0-9_] by the caller.
            try await maintenance.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \"\(name)\""), logger: logger)
            logger.info("created database", metadata: ["database": "\(name)"])
            return true
        } catch let error as PSQLError where error.sqlState == SQLState.duplicateDatabase || error.sqlState == SQLState.uniqueViolation {
            // Another migrator created it between our check and our CREATE.
            return false
        }
    }
}

public enum MigrationError: Error, CustomStringConvertible, Equatable {
    case missingDirectory(String)
    case badFileName(String)
    case badDatabaseName(String)
    case duplicateVersion(Int)
    case appliedFileMissing(Int)
    case checksumMismatch(String)
    case failed(String, String)

    public var description: String {
        switch self {
        case .missingDirectory(let path): return "migrations folder not found: \(path) (set MATHFARM_MIGRATIONS_DIR)"
        case .badFileName(let name): return "migration file name must be NNNN_name.sql (UTF-8): \(name)"
        case .badDatabaseName(let name): return "database name must be letters, digits and underscores: \(name)"
        case .duplicateVersion(let version): return "two migration files share version \(version)"
        case .appliedFileMissing(let version): return "migration \(version) was applied but its file is gone"
        case .checksumMismatch(let name): return "applied migration \(name) has changed since it was applied; add a new migration instead"
        case .failed(let name, let reason): return "migration \(name) failed: \(reason)"
        }
    }
}
