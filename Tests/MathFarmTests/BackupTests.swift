import ContentService
import Foundation
import Logging
import MathFarmCore
import MathFarmHTTP
import PaymentService
import Testing

/// Backup → restore into fresh databases → the same row counts and checksums in every table of
/// every service database; a restore into a database that has data is refused.
@Suite("Backup and restore")
struct BackupTests {
    @Test func backupRestoresIntoFreshDatabasesExactly() async throws {
        let stack = try await TestStack.make()
        try await stack.run { services in
            let user = try await makeCustomer(services)
            _ = try await services.ledger.credit(userID: user, amount: Money(dong: 42_000), reference: "backup-\(user)", reason: "test", changedBy: "test")
            try await services.outboxRelay.drain()
            try await services.auditLog.ensurePartitions()
            try await services.auditLog.record(.init(staffID: nil, action: .update, entity: .setting, entityID: nil, newValues: ["k": "Tiếng Việt có dấu"]))
            try await DemoContent.install(into: services.contentStore)
        }
        let logger = Logger(label: "backup-test")
        let source = Dictionary(uniqueKeysWithValues: ServiceDatabase.allCases.map { ($0, stack.configuration.databaseURL($0)) })
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mf-backup-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let backup = DatabaseBackup(logger: logger)
        var folder = ""
        for second in 0..<3 {
            folder = try await backup.backup(source, into: directory, keep: 2, now: Date(timeIntervalSince1970: 1_800_000_000 + Double(second)))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("mathfarm-backup-") }.count == 2)

        let prefix = "r" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(10)
        let target = source.mapValues { $0.with(database: "\(prefix)_\($0.database.split(separator: "_").dropFirst().joined(separator: "_"))") }
        try await backup.restore(folder, into: target)
        for database in ServiceDatabase.allCases {
            let original = try await backup.digest(try #require(source[database]))
            let restored = try await backup.digest(try #require(target[database]))
            #expect(!original.isEmpty && original == restored, "\(database)")
        }
        let paymentDigest = try await backup.digest(try #require(target[.payment]))
        let wallets = try #require(paymentDigest["wallets"])
        #expect(wallets.rows == 1)
        await #expect(throws: DatabaseBackup.BackupError.self) { try await backup.restore(folder, into: target) }
    }

    @Test func dbStatsReportsEverySection() async throws {
        let stack = try await TestStack.make()
        let lines = try await DatabaseStatistics(logger: Logger(label: "stats")).report(ServiceDatabase.allCases.map { stack.configuration.databaseURL($0) })
        for section in ["== connections", "== queries running longer than 30 s", "== database sizes", "== top statements (pg_stat_statements)"] {
            #expect(lines.contains(section), "\(section)")
        }
        #expect(lines.filter { $0.hasPrefix("== largest tables in ") }.count == 5)
        #expect(lines.contains { $0.hasPrefix(stack.configuration.databaseURL(.payment).database) })
    }
}
