import ArgumentParser
import Foundation
import MathFarmCore
import PostgresNIO

/// `mathfarm backup`: all five databases into one timestamped folder, keeping the newest N.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "backup", abstract: "Dump every database (pg_dump) into a timestamped folder.")

    @Option(help: "Folder that holds the backups.") var directory = "backups"
    @Option(help: "How many backups to keep (older ones are deleted).") var keep = 7

    func run() async throws {
        let configuration = try ProcessSetup.configuration()
        let databases = Dictionary(uniqueKeysWithValues: ServiceDatabase.allCases.map { ($0, configuration.databaseURL($0)) })
        let folder = try await DatabaseBackup(logger: ProcessSetup.logger("mathfarm.backup")).backup(databases, into: directory, keep: keep)
        print("backup written to \(folder)")
    }
}

/// `mathfarm restore <folder>`: into empty (or missing) databases, verified against the manifest.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "restore", abstract: "Restore a backup folder into empty databases and verify it.")

    @Argument(help: "A folder written by `mathfarm backup`.") var folder: String

    func run() async throws {
        let configuration = try ProcessSetup.configuration()
        let databases = Dictionary(uniqueKeysWithValues: ServiceDatabase.allCases.map { ($0, configuration.databaseURL($0)) })
        try await DatabaseBackup(logger: ProcessSetup.logger("mathfarm.restore")).restore(folder, into: databases)
        print("restored \(folder): every table's row count and checksum match the backup")
    }
}

/// `mathfarm db-stats`: the seed's monitoring queries.
struct DBStatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "db-stats", abstract: "Connections, long-running queries, database and table sizes, top statements.")

    func run() async throws {
        let configuration = try ProcessSetup.configuration()
        let logger = ProcessSetup.logger("mathfarm.db-stats")
        for line in try await DatabaseStatistics(logger: logger).report(ServiceDatabase.allCases.map { configuration.databaseURL($0) }) {
            print(line)
        }
    }
}
