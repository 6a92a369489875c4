import Foundation
import MathFarmCore
import MathSolvers
import PostgresNIO

/// A problem the farm sells, as `GET /api/v1/problems` publishes it.
public struct Problem: Codable, Sendable, Equatable {
    public var id: UUID
    public var code: String
    public var name: String
    public var description: String?
    public var inputSchema: JSONValue
    public var outputSchema: JSONValue
    public var price: Money
    public var premiumPrice: Money
    public var difficulty: String
    public var timeoutSeconds: Int
    public var isActive: Bool

    enum CodingKeys: String, CodingKey {
        case id, code, name, description, price, difficulty
        case inputSchema = "input_schema"
        case outputSchema = "output_schema"
        case premiumPrice = "premium_price"
        case timeoutSeconds = "timeout_seconds"
        case isActive = "is_active"
    }
}

/// The catalog in `math_problems`: codes, names, prices, timeouts as staff manage them, with
/// each problem's schemas taken from its `SolverRegistry` entry (the one owner of what an input
/// may contain; `publishSchemas` copies them into the table for SQL readers).
public struct ProblemCatalog: Sendable {
    let database: Database
    /// Premium customers pay `price × (100 − discount) / 100`, rounded down to the dong. The
    /// discount is read per request (it is a runtime setting managed by staff).
    let premiumDiscountPercent: @Sendable () async -> Int
    /// The types this build answers: the owner of every schema the catalogue publishes.
    public let registry: SolverRegistry
    private let cache = CatalogCache(lifetime: ProblemCatalog.cacheLifetime)
    /// Each registered problem's schemas, parsed once.
    private let registrySchemas: [String: (input: JSONValue, output: JSONValue)]

    public init(database: Database, registry: SolverRegistry, premiumDiscountPercent: @escaping @Sendable () async -> Int) {
        self.database = database
        self.registry = registry
        self.premiumDiscountPercent = premiumDiscountPercent
        var schemas: [String: (input: JSONValue, output: JSONValue)] = [:]
        for entry in registry.catalogueEntries {
            schemas[entry.code] = (JSONValue(text: entry.inputSchema.text) ?? .null, JSONValue(text: entry.outputSchema) ?? .null)
        }
        registrySchemas = schemas
    }

    public init(database: Database, registry: SolverRegistry, premiumDiscountPercent: Int) {
        self.init(database: database, registry: registry, premiumDiscountPercent: { premiumDiscountPercent })
    }

    public func problems(includeInactive: Bool = false) async throws -> [Problem] {
        let rows = try await database.query("""
            SELECT id, problem_type::text, problem_name, description, input_schema::text, output_schema::text,
                   (base_price * 100)::int8, difficulty_level::text, processing_timeout_seconds, COALESCE(is_active, true)
            FROM math_problems WHERE \(includeInactive) OR COALESCE(is_active, true)
            ORDER BY base_price, problem_type
            """)
        let discount = await premiumDiscountPercent()
        var problems: [Problem] = []
        for try await row in rows.decode((UUID, String, String, String?, String, String, Int64, String?, Int?, Bool).self) {
            problems.append(problem(from: row, discount: discount))
        }
        return problems
    }

    /// The problem, from a cache of at most `cacheLifetime` (every submission asks, so the rows
    /// and their JSON schemas are not fetched and decoded per request). A staff change through
    /// `update` is seen at once by this process and within `cacheLifetime` by the others.
    public func problem(code: String) async throws -> Problem? {
        guard code.count <= 64 else { return nil }
        let discount = await premiumDiscountPercent()
        if let cached = cache.problem(code: code, discount: discount) { return cached }
        guard let found = try await fetchProblem(code: code, discount: discount) else { return nil }
        cache.store(found, code: code, discount: discount)  // known codes only: the cache stays as small as the catalog
        return found
    }

    /// How long a cached catalog row is used.
    public static let cacheLifetime: Duration = .seconds(2)

    private func fetchProblem(code: String, discount: Int) async throws -> Problem? {
        let rows = try await database.query("""
            SELECT id, problem_type::text, problem_name, description, input_schema::text, output_schema::text,
                   (base_price * 100)::int8, difficulty_level::text, processing_timeout_seconds, COALESCE(is_active, true)
            FROM math_problems WHERE problem_type::text = \(code)
            """).collectRows()
        guard let row = rows.first else { return nil }
        return problem(from: try row.decode((UUID, String, String, String?, String, String, Int64, String?, Int?, Bool).self), discount: discount)
    }

    /// Staff changes to a problem: price (VND), timeout (seconds), active flag. Returns the
    /// problem as it was before.
    public func update(code: String, price: Money?, timeoutSeconds: Int?, isActive: Bool?) async throws -> Problem {
        guard let before = try await problem(code: code) else { throw APIError.notFound("problem") }
        // Every solve places a hold, and a hold is never of zero: a free problem would fail at
        // submission. Hide a problem with is_active instead.
        if let price, !price.isWholeDong || !Self.priceRange.contains(price.wholeDong) {
            throw APIError.invalidField("price", vi: "Giá là số đồng nguyên từ 1 đến 10.000.000.", en: "A price is a whole number of dong from 1 to 10,000,000.")
        }
        if let timeoutSeconds, !(1...600).contains(timeoutSeconds) {
            throw APIError.invalidField("timeout_seconds", vi: "Thời gian tối đa 1–600 giây.", en: "The timeout is 1 to 600 seconds.")
        }
        try await database.query("""
            UPDATE math_problems SET base_price = COALESCE(\(price?.minorUnits)::int8 / 100.0, base_price),
                   processing_timeout_seconds = COALESCE(\(timeoutSeconds)::int4, processing_timeout_seconds),
                   is_active = COALESCE(\(isActive)::bool, is_active)
            WHERE problem_type::text = \(code)
            """)
        cache.forget()
        return before
    }

    /// Prices in whole dong (`PUT /admin/problems/{code}`).
    public static let priceRange: ClosedRange<Int64> = 1...10_000_000

    /// The price this customer pays for the problem.
    public func price(of problem: Problem, premium: Bool) -> Money {
        premium ? problem.premiumPrice : problem.price
    }

    private func problem(from row: (UUID, String, String, String?, String, String, Int64, String?, Int?, Bool), discount premiumDiscountPercent: Int) -> Problem {
        let (id, code, name, description, input, output, price, difficulty, timeout, active) = row
        let discounted = price * Int64(100 - premiumDiscountPercent) / 100
        // Whole dong, and never below one dong: a hold of zero cannot be placed.
        let premium = price > 0 ? max(discounted - discounted % 100, min(price, 100)) : 0
        let schemas = registrySchemas[code]
        return Problem(
            id: id, code: code, name: name, description: description,
            inputSchema: schemas?.input ?? JSONValue(text: input) ?? .null,
            outputSchema: schemas?.output ?? JSONValue(text: output) ?? .null,
            price: Money(minorUnits: price), premiumPrice: Money(minorUnits: premium),
            difficulty: difficulty ?? "medium", timeoutSeconds: timeout ?? 30, isActive: active
        )
    }

    /// Writes the registry's schemas into the catalogue rows where they differ (the seed
    /// migrations wrote the schemas of their day), so a report or a staff member reading
    /// `math_problems` sees what the API enforces. Idempotent; safe from several processes.
    public func publishSchemas() async throws {
        for entry in registry.catalogueEntries {
            try await database.query("""
                UPDATE math_problems SET input_schema = \(entry.inputSchema.text)::jsonb, output_schema = \(entry.outputSchema)::jsonb
                WHERE problem_type::text = \(entry.code)
                  AND (input_schema IS DISTINCT FROM \(entry.inputSchema.text)::jsonb OR output_schema IS DISTINCT FROM \(entry.outputSchema)::jsonb)
                """)
        }
        cache.forget()
    }

    /// Adds the test-only diagnostic problems (slow, runaway, crashing). Called only when
    /// `MATHFARM_ENABLE_DIAGNOSTIC_PROBLEMS=1`; production catalogs never contain them.
    public func installDiagnosticProblems(timeoutSeconds: Int) async throws {
        for entry in SolverRegistry.diagnostics {
            try await database.query("""
                INSERT INTO math_problems (problem_type, problem_name, description, input_schema, output_schema, base_price, difficulty_level, processing_timeout_seconds)
                VALUES (\(entry.code)::problem_type, \(entry.manifest.name.en), \(entry.manifest.help.en), \(entry.inputSchema.text)::jsonb,
                        \(entry.outputSchema)::jsonb, \(entry.manifest.defaultPriceDong)::int8, 'easy', \(timeoutSeconds))
                ON CONFLICT (problem_type) DO UPDATE SET processing_timeout_seconds = EXCLUDED.processing_timeout_seconds, is_active = true
                """)
        }
    }
}
