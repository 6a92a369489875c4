import Foundation
import Logging
import PostgresNIO

/// `mathfarm backup` / `restore`: every service database dumped with `pg_dump -Fc` into one
/// timestamped folder with a manifest of row counts and per-table checksums, and restored with
/// `pg_restore` into empty databases, then checked against that manifest.
public struct DatabaseBackup: Sendable {
    let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    public enum BackupError: Error, CustomStringConvertible {
        case toolMissing(String)
        case toolFailed(String, Int32, String)
        case notEmpty(String)
        case mismatch(String)
        case badFolder(String)

        public var description: String {
            switch self {
            case .toolMissing(let tool): return "\(tool) not found (install postgresql-client-15)"
            case .toolFailed(let tool, let status, let output): return "\(tool) exited with \(status): \(output)"
            case .notEmpty(let database): return "database \(database) is not empty; restore only into empty databases"
            case .mismatch(let detail): return "restored data differs from the backup: \(detail)"
            case .badFolder(let path): return "\(path) is not a MathFarm backup folder (no manifest.json)"
            }
        }
    }

    /// Row count and checksum of one table.
    public struct TableDigest: Codable, Sendable, Equatable {
        public var rows: Int64
        public var checksum: String
    }

    public struct Manifest: Codable, Sendable {
        public var createdAt: Date
        public var databases: [String: [String: TableDigest]]
    }

    /// Dumps `databases` into `directory/mathfarm-backup-<UTC time>/`, then keeps only the newest
    /// `keep` backup folders there. Returns the new folder.
    public func backup(_ databases: [ServiceDatabase: DatabaseURL], into directory: String, keep: Int, now: Date = Date()) async throws -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let folder = (directory as NSString).appendingPathComponent("mathfarm-backup-\(formatter.string(from: now))")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var manifest = Manifest(createdAt: now, databases: [:])
        for (service, url) in databases.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            try run("pg_dump", ["-Fc", "--no-owner", "-f", (folder as NSString).appendingPathComponent("\(service.rawValue).dump")] + connectionArguments(url), url: url)
            manifest.databases[service.rawValue] = try await digest(url)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(manifest).write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent("manifest.json")))
        try prune(directory, keep: keep)
        return folder
    }

    /// Restores a backup folder into `databases` (created when missing, refused when not empty)
    /// and checks every table's row count and checksum against the manifest.
    public func restore(_ folder: String, into databases: [ServiceDatabase: DatabaseURL]) async throws {
        let manifestPath = (folder as NSString).appendingPathComponent("manifest.json")
        guard let data = FileManager.default.contents(atPath: manifestPath) else { throw BackupError.badFolder(folder) }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let manifest = try decoder.decode(Manifest.self, from: data)
        for (service, url) in databases.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            guard let expected = manifest.databases[service.rawValue] else { continue }
            _ = try await Migrator(migrationsDirectory: "", logger: logger).createDatabaseIfMissing(url)
            guard try await isEmpty(url) else { throw BackupError.notEmpty(url.database) }
            try run("pg_restore", ["--no-owner", "--exit-on-error", "-d", url.database] + connectionArguments(url, includeDatabase: false) + [(folder as NSString).appendingPathComponent("\(service.rawValue).dump")], url: url)
            let actual = try await digest(url)
            guard actual == expected else {
                let differing = Set(actual.keys).union(expected.keys).filter { actual[$0] != expected[$0] }.sorted()
                throw BackupError.mismatch("\(service.rawValue): \(differing.joined(separator: ", "))")
            }
        }
    }

    /// Every base table of the public schema (partitions counted through their parent) with its
    /// row count and an md5 over its rows in a fixed order.
    public func digest(_ url: DatabaseURL) async throws -> [String: TableDigest] {
        let connection = try await PostgresConnection.connect(configuration: try url.connectionConfiguration(), id: 9, logger: logger)
        do {
            let result = try await digest(on: connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    private func digest(on connection: PostgresConnection) async throws -> [String: TableDigest] {
        let tables = try await connection.query("""
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname
            """, logger: logger).collectRows()
        var result: [String: TableDigest] = [:]
        for row in tables {
            let table = try row.decode(String.self)
            // Table names come from the catalogue; quote_ident keeps them literal.
            let digest = try await connection.query(PostgresQuery(unsafeSQL: """
                SELECT count(*)::int8, COALESCE(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM public."\(table.replacingOccurrences(of: "\"", with: "\"\""))" t
                """), logger: logger).collectRows()
            guard let first = digest.first else { continue }
            let (rows, checksum) = try first.decode((Int64, String).self)
            result[table] = TableDigest(rows: rows, checksum: checksum)
        }
        return result
    }

    private func isEmpty(_ url: DatabaseURL) async throws -> Bool {
        let connection = try await PostgresConnection.connect(configuration: try url.connectionConfiguration(), id: 8, logger: logger)
        let rows = try await connection.query("""
            SELECT count(*)::int8 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
            """, logger: logger).collectRows()
        try await connection.close()
        return try rows.first?.decode(Int64.self) == 0
    }

    private func connectionArguments(_ url: DatabaseURL, includeDatabase: Bool = true) -> [String] {
        var arguments = ["-h", url.host, "-p", String(url.port), "-U", url.username]
        if includeDatabase { arguments += ["-d", url.database] }
        return arguments
    }

    private func run(_ tool: String, _ arguments: [String], url: DatabaseURL) throws {
        let candidates = ["/usr/lib/postgresql/15/bin/\(tool)", "/usr/bin/\(tool)", "/usr/local/bin/\(tool)"]
        guard let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { throw BackupError.toolMissing(tool) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        // libpq reads the password and the URL's TLS options from its own variables.
        if let password = url.password { environment["PGPASSWORD"] = password }
        if let mode = url.tlsMode { environment["PGSSLMODE"] = mode.rawValue }
        if let root = url.rootCertificatePath { environment["PGSSLROOTCERT"] = root }
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BackupError.toolFailed(tool, process.terminationStatus, String(text.suffix(2000))) }
    }

    /// Keeps the newest `keep` backup folders in `directory`.
    private func prune(_ directory: String, keep: Int) throws {
        let names = (try FileManager.default.contentsOfDirectory(atPath: directory)).filter { $0.hasPrefix("mathfarm-backup-") }.sorted()
        for name in names.dropLast(max(keep, 1)) {
            try FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(name))
        }
    }
}
