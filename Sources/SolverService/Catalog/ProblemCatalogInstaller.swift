import Foundation
import Logging
import MathFarmCore
import MathSolvers
import PostgresNIO

/// Puts every registered problem type into `math_solver_db`: its `problem_type` enum value and
/// its `math_problems` row (names, help, schemas, default price, difficulty and timeout from the
/// type's `ProblemManifest`). A new type therefore needs no migration. Rows that exist are left
/// as staff keep them (price, timeout, active flag); their schemas follow the registry through
/// `ProblemCatalog.publishSchemas`.
///
/// Run by `mathfarm migrate` as the owner of the schema: adding an enum value is DDL, which the
/// services' least-privilege role (`migrate --grant-to`) may not do. Idempotent and safe to run
/// from several processes at once (`ADD VALUE IF NOT EXISTS`, `ON CONFLICT DO NOTHING`).
public enum ProblemCatalogInstaller {
    /// Installs the registry's types; returns the codes whose rows were created now.
    @discardableResult
    public static func install(_ registry: SolverRegistry, url: DatabaseURL, logger: Logger) async throws -> [String] {
        let connection = try await PostgresConnection.connect(configuration: try url.connectionConfiguration(), id: 1, logger: logger)
        do {
            let created = try await install(registry.productEntries, on: connection, logger: logger)
            try await connection.close()
            return created
        } catch {
            try? await connection.close()
            throw error
        }
    }

    static func install(_ entries: [RegisteredSolver], on connection: PostgresConnection, logger: Logger) async throws -> [String] {
        var created: [String] = []
        for entry in entries {
            guard isValidCode(entry.code) else { throw InstallError.invalidCode(entry.code) }
            // Each ADD VALUE commits on its own (autocommit): a value added inside a transaction
            // cannot be used by that transaction's INSERT.
            try await connection.query(PostgresQuery(unsafeSQL: "ALTER TYPE problem_type ADD VALUE IF NOT EXISTS '\(entry.code)'"), logger: logger)
            let manifest = entry.manifest
            let rows = try await connection.query("""
                INSERT INTO math_problems (problem_type, problem_name, description, input_schema, output_schema, base_price, difficulty_level, processing_timeout_seconds)
                VALUES (\(entry.code)::problem_type, \(manifest.name.vi + " / " + manifest.name.en), \(manifest.help.vi + " / " + manifest.help.en),
                        \(entry.inputSchema.text)::jsonb, \(entry.outputSchema)::jsonb, \(manifest.defaultPriceDong)::int8,
                        \(manifest.difficulty.rawValue)::difficulty_level, \(manifest.defaultTimeoutSeconds))
                ON CONFLICT (problem_type) DO NOTHING
                RETURNING problem_type::text
                """, logger: logger).collect()
            if !rows.isEmpty { created.append(entry.code) }
        }
        return created
    }

    /// A code is spliced into DDL (an enum label cannot be a bind parameter), so it is held to
    /// the shape every code has: lower-case words joined by `_`.
    static func isValidCode(_ code: String) -> Bool {
        !code.isEmpty && code.count <= 63 && code.first?.isLetter == true
            && code.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "_" }
    }

    public enum InstallError: Error, CustomStringConvertible {
        case invalidCode(String)

        public var description: String {
            switch self {
            case .invalidCode(let code): return "problem code '\(code)' is not lower-case letters, digits and _"
            }
        }
    }
}
