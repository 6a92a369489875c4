import Logging
import PostgresNIO

/// Least privilege for the services' login role: the owner role runs migrations (and owns every
/// table), the role the API and workers log in as can read and write rows and nothing else.
///
/// `mathfarm migrate --grant-to ROLE` runs these statements in each database after migrating,
/// as the owner: the role may connect, use the schema, read and write every table's rows and
/// use its sequences, now and for tables later migrations create (`ALTER DEFAULT PRIVILEGES`).
/// It owns nothing, so it can neither `DROP`, `ALTER` nor `TRUNCATE` a table, and PostgreSQL 15
/// grants no `CREATE` on `public` to anyone but the owner. The one piece of run-time DDL, the
/// audit trail's monthly partitions, goes through two owner's functions it may execute
/// (admin_service_db migration 0007), which take only a year and a month.
public enum ServiceRoleGrants {
    /// A role name the statements can carry: PostgreSQL's unquoted identifier syntax, so it
    /// needs no quoting rules and no input can end the statement.
    public static func isValidRoleName(_ role: String) -> Bool {
        guard let first = role.unicodeScalars.first, role.unicodeScalars.count <= 63 else { return false }
        func letter(_ scalar: Unicode.Scalar) -> Bool { ("a"..."z").contains(scalar) || scalar == "_" }
        return letter(first) && role.unicodeScalars.allSatisfy { letter($0) || ("0"..."9").contains($0) }
    }

    /// The statements, in order, for one database.
    static func statements(role: String, database: String) -> [String] {
        [
            "GRANT CONNECT ON DATABASE \(database) TO \(role)",
            "GRANT USAGE ON SCHEMA public TO \(role)",
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO \(role)",
            "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO \(role)",
            "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO \(role)",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO \(role)",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO \(role)",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO \(role)",
        ]
    }

    /// Grants `role` the services' privileges in the database `url` names, connected as `url`'s
    /// user (the owner). The role must exist: creating login roles and their passwords is the
    /// operator's (or a secret store's) business, not the application's.
    public static func grant(role: String, url: DatabaseURL, logger: Logger) async throws {
        guard isValidRoleName(role) else { throw GrantError.invalidRoleName(role) }
        guard isValidRoleName(url.database) else { throw GrantError.invalidDatabaseName(url.database) }
        let connection = try await PostgresConnection.connect(configuration: try url.connectionConfiguration(), id: 11, logger: logger)
        do {
            let exists = try await connection.query("SELECT 1 FROM pg_roles WHERE rolname = \(role)", logger: logger).collect()
            guard !exists.isEmpty else { throw GrantError.noSuchRole(role) }
            for statement in statements(role: role, database: url.database) {
                // Both names passed `isValidRoleName`: letters, digits and underscores only.
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }

    public enum GrantError: Error, CustomStringConvertible {
        case invalidRoleName(String)
        case invalidDatabaseName(String)
        case noSuchRole(String)

        public var description: String {
            switch self {
            case .invalidRoleName(let role): return "--grant-to \(role): a role name of lower-case letters, digits and _ (starting with a letter or _), at most 63"
            case .invalidDatabaseName(let name): return "database \(name): grants need a name of lower-case letters, digits and _"
            case .noSuchRole(let role): return "role \(role) does not exist: create it first (CREATE ROLE \(role) LOGIN PASSWORD '…')"
            }
        }
    }
}
