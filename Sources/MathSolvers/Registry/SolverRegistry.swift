import ExactMath
import Foundation

/// One registered problem type with its solver's result type erased, so callers that only
/// carry JSON (the API, the workers, `mathfarm solve`) can hold every type in one table.
public struct RegisteredSolver: Sendable {
    public let code: String
    public let maxInputBytes: Int
    public let inputSchema: ProblemSchema
    public let outputSchema: String
    public let manifest: ProblemManifest
    private let validateInput: @Sendable (Data) throws(SolveError) -> Void
    /// The solver's result before it is written as JSON (tests compare writers with it).
    let solveValue: @Sendable (Data, Deadline) throws(SolveError) -> any Encodable & Sendable

    public init<S: Solver>(_ solver: S) {
        self.init(solver, code: S.code)
    }

    /// A solver registered under another code (tests register a toy type this way).
    public init<S: Solver>(_ solver: S, code: String) {
        self.code = code
        maxInputBytes = S.maxInputBytes
        do {
            inputSchema = try ProblemSchema(S.inputSchema)
        } catch {
            // A registry entry whose schema the check cannot enforce is a programming error that
            // RegistrySchemaTests catch; no input can reach this.
            preconditionFailure("\(S.code): input schema: \(error)")
        }
        outputSchema = S.outputSchema
        manifest = S.manifest
        validateInput = { (input: Data) throws(SolveError) in try solver.validate(json: input) }
        solveValue = { (input: Data, deadline: Deadline) throws(SolveError) -> any Encodable & Sendable in
            try solver.solve(json: input, deadline: deadline)
        }
    }

    /// Checks the input against the published schema, then reads it as `solve` will.
    public func validate(_ input: Data) throws(SolveError) {
        try inputSchema.check(input)
        try validateInput(input)
    }

    /// The result document (JSON) of a successful solve.
    public func solve(_ input: Data, deadline: Deadline) throws(SolveError) -> Data {
        try Self.encode(try solveValue(input, deadline))
    }

    /// Keys in declaration order, not sorted: the document is stored as JSONB, which orders
    /// keys itself, and every reader parses it. `ResultJSONWriter` writes it in one pass.
    private static func encode(_ value: some Encodable) throws(SolveError) -> Data {
        do {
            return try ResultJSONWriter().encode(value)
        } catch {
            throw SolveError(code: "internal_error", vi: "Không ghi được kết quả.", en: "The result could not be encoded.")
        }
    }
}

/// The problem types this build answers, each listed once. The API uses `validate` (cheap,
/// before any money moves); workers and `mathfarm solve` use `solve`, under the problem's
/// soft deadline. The catalogue rows hold what staff manage (names, prices, timeouts); the
/// schemas come from here (`ProblemCatalog` publishes them and keeps `math_problems` in step).
public struct SolverRegistry: Sendable {
    /// Every problem type a customer can buy.
    public static let products: [RegisteredSolver] = [
        RegisteredSolver(QuadraticSolver()),
        RegisteredSolver(LinearSystemSolver()),
        RegisteredSolver(DerivativeSolver()),
        RegisteredSolver(IndefiniteIntegralSolver()),
        RegisteredSolver(DefiniteIntegralSolver()),
        RegisteredSolver(LimitSolver()),
        RegisteredSolver(PolynomialEquationSolver()),
        RegisteredSolver(InequalitySolver()),
        RegisteredSolver(ExtremaOnIntervalSolver()),
    ]

    /// Test-only problems that misbehave on purpose (see `ProblemCatalog.installDiagnosticProblems`).
    public static let diagnostics: [RegisteredSolver] = [
        RegisteredSolver(DiagnosticSleepSolver()),
        RegisteredSolver(DiagnosticCrashSolver()),
    ]

    public static let unknownProblem = SolveError(
        code: "unknown_problem", vi: "Không có dạng bài này.", en: "No such problem type."
    )

    public let diagnosticsEnabled: Bool
    /// Every type this registry answers, products first, in catalogue order.
    public let entries: [RegisteredSolver]
    private let solvers: [String: RegisteredSolver]
    /// Diagnostics are known (for their schemas) even where they are not answered.
    private let known: [String: RegisteredSolver]

    /// `additional` registers types beyond `products` (tests add a toy type this way and find it
    /// in the catalogue, the website and the OpenAPI document).
    public init(diagnosticsEnabled: Bool, additional: [RegisteredSolver] = []) {
        self.diagnosticsEnabled = diagnosticsEnabled
        let products = Self.products + additional
        entries = products + (diagnosticsEnabled ? Self.diagnostics : [])
        solvers = Dictionary(entries.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        known = Dictionary((products + Self.diagnostics).map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        productEntries = products
    }

    /// The types a customer can buy here (diagnostics left out).
    public let productEntries: [RegisteredSolver]

    /// Every entry whose schemas the catalogue keeps: this registry's types and the diagnostics.
    public var catalogueEntries: [RegisteredSolver] {
        productEntries + Self.diagnostics
    }

    /// Largest input document per problem, bytes of JSON (413 past it); the default for a
    /// code nobody registered, which is refused later anyway.
    public func maxInputBytes(for code: String) -> Int {
        entry(for: code)?.maxInputBytes ?? 16 * 1024
    }

    /// The entry for `code` among this registry's types and the diagnostics alike (the catalogue
    /// publishes a diagnostic problem's schema when a test installed it).
    public func entry(for code: String) -> RegisteredSolver? {
        known[code]
    }

    /// Whether this registry answers `code` (a diagnostic code only where diagnostics are on).
    public func handles(_ code: String) -> Bool {
        solvers[code] != nil
    }

    public func solver(for code: String) throws(SolveError) -> RegisteredSolver {
        guard let solver = solvers[code] else { throw Self.unknownProblem }
        return solver
    }

    public func validate(code: String, input: Data) throws(SolveError) {
        try solver(for: code).validate(input)
    }

    /// The result document (JSON) of a successful solve.
    public func solve(code: String, input: Data, deadline: Deadline) throws(SolveError) -> Data {
        try solver(for: code).solve(input, deadline: deadline)
    }
}
