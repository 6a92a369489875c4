import Foundation
import Logging
import MathFarmCore
import PostgresNIO
import Testing

@Suite("Migrations")
struct MigrationTests {
    let logger: Logger = {
        var logger = Logger(label: "migration-test")
        logger.logLevel = .critical
        return logger
    }()

    func freshURL(_ database: ServiceDatabase) throws -> DatabaseURL {
        let base = try DatabaseURL(parsing: try TestStack.baseEnvironment()["MATHFARM_PG_URL"] ?? "")
        return base.with(database: "m" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(10) + "_" + database.rawValue)
    }

    func tableSignature(_ url: DatabaseURL) async throws -> [String] {
        let connection = try await PostgresConnection.connect(configuration: try url.connectionConfiguration(), id: 9, logger: logger)
        defer { Task { try? await connection.close() } }
        var names: [String] = []
        for try await (name, count) in try await connection.query("""
            SELECT c.relname::text, (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0)::int8
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' ORDER BY 1
            """, logger: logger).decode((String, Int64).self) {
            names.append("\(name):\(count)")
        }
        return names
    }

    @Test(arguments: ServiceDatabase.allCases)
    func applyingTwiceChangesNothing(_ database: ServiceDatabase) async throws {
        let url = try freshURL(database)
        let migrator = Migrator(migrationsDirectory: TestStack.repositoryRoot.appendingPathComponent("migrations").path, logger: logger)
        let first = try await migrator.migrate(database, url: url)
        #expect(first.createdDatabase)
        #expect(!first.applied.isEmpty)
        let before = try await tableSignature(url)
        let second = try await migrator.migrate(database, url: url)
        #expect(!second.createdDatabase)
        #expect(second.applied.isEmpty)
        #expect(try await tableSignature(url) == before)
        #expect(before.contains { $0.hasPrefix("schema_migrations:") })
    }

    @Test func changedFileIsDetected() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mig-" + UUID().uuidString)
        let dbFolder = folder.appendingPathComponent(ServiceDatabase.content.rawValue)
        try FileManager.default.createDirectory(at: dbFolder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = dbFolder.appendingPathComponent("0001_first.sql")
        try "CREATE TABLE one (id int);".write(to: file, atomically: true, encoding: .utf8)
        let migrator = Migrator(migrationsDirectory: folder.path, logger: logger)
        let url = try freshURL(.content)
        #expect(try await migrator.migrate(.content, url: url).applied == ["0001_first"])

        try "CREATE TABLE one (id bigint);".write(to: file, atomically: true, encoding: .utf8)
        try "CREATE TABLE two (id int);".write(to: dbFolder.appendingPathComponent("0002_second.sql"), atomically: true, encoding: .utf8)
        await #expect(throws: MigrationError.checksumMismatch("0001_first")) {
            try await migrator.migrate(.content, url: url)
        }
        // Nothing was applied after the refusal.
        #expect(try await tableSignature(url).contains { $0.hasPrefix("two:") } == false)
    }

    @Test func failingMigrationRollsBackCompletely() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mig-" + UUID().uuidString)
        let dbFolder = folder.appendingPathComponent(ServiceDatabase.content.rawValue)
        try FileManager.default.createDirectory(at: dbFolder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "CREATE TABLE half (id int); SELECT no_such_function();".write(
            to: dbFolder.appendingPathComponent("0001_broken.sql"), atomically: true, encoding: .utf8
        )
        let migrator = Migrator(migrationsDirectory: folder.path, logger: logger)
        let url = try freshURL(.content)
        await #expect(throws: MigrationError.self) { try await migrator.migrate(.content, url: url) }
        let tables = try await tableSignature(url)
        #expect(!tables.contains { $0.hasPrefix("half:") })
    }

    @Test func concurrentMigratorsApplyEachFileOnce() async throws {
        let url = try freshURL(.payment)
        let migrator = Migrator(migrationsDirectory: TestStack.repositoryRoot.appendingPathComponent("migrations").path, logger: logger)
        let reports = try await withThrowingTaskGroup(of: Migrator.Report.self) { group in
            for _ in 0..<4 { group.addTask { try await migrator.migrate(.payment, url: url) } }
            var reports: [Migrator.Report] = []
            for try await report in group { reports.append(report) }
            return reports
        }
        let expected = try migrator.migrations(for: .payment).map(\.name)
        #expect(reports.flatMap(\.applied).sorted() == expected.sorted())
        #expect(reports.filter(\.createdDatabase).count == 1)
    }
}
