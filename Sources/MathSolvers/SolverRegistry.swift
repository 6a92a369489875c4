import ExactMath
import Foundation

/// One registered problem type with its solver's result type erased, so callers that only
/// carry JSON (the API, the workers, `mathfarm solve`) can hold every type in one table.
public struct RegisteredSolver: Sendable {
    public let code: String
    public let maxInputBytes: Int
    private let validateInput: @Sendable (Data) throws(SolveError) -> Void
    private let solveInput: @Sendable (Data, Deadline) throws(SolveError) -> Data

    public init<S: Solver>(_ solver: S) {
        code = S.code
        maxInputBytes = S.maxInputBytes
        validateInput = { (input: Data) throws(SolveError) in try solver.validate(json: input) }
        solveInput = { (input: Data, deadline: Deadline) throws(SolveError) -> Data in
            try Self.encode(try solver.solve(json: input, deadline: deadline))
        }
    }

    public func validate(_ input: Data) throws(SolveError) {
        try validateInput(input)
    }

    /// The result document (JSON, keys sorted) of a successful solve.
    public func solve(_ input: Data, deadline: Deadline) throws(SolveError) -> Data {
        try solveInput(input, deadline)
    }

    private static func encode(_ value: some Encodable) throws(SolveError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(value)
        } catch {
            throw SolveError(code: "internal_error", vi: "Không ghi được kết quả.", en: "The result could not be encoded.")
        }
    }
}

/// The problem types this build answers, each listed once. The API uses `validate` (cheap,
/// before any money moves); workers and `mathfarm solve` use `solve`, under the problem's
/// soft deadline. The catalogue rows (names, prices, input schemas) live in `math_problems`.
public struct SolverRegistry: Sendable {
    /// Every problem type a customer can buy.
    public static let products: [RegisteredSolver] = [
        RegisteredSolver(QuadraticSolver()),
        RegisteredSolver(LinearSystemSolver()),
        RegisteredSolver(DerivativeSolver()),
        RegisteredSolver(IndefiniteIntegralSolver()),
        RegisteredSolver(DefiniteIntegralSolver()),
        RegisteredSolver(LimitSolver()),
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
    private let solvers: [String: RegisteredSolver]

    public init(diagnosticsEnabled: Bool) {
        self.diagnosticsEnabled = diagnosticsEnabled
        let registered = Self.products + (diagnosticsEnabled ? Self.diagnostics : [])
        solvers = Dictionary(registered.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Largest input document per problem, bytes of JSON (413 past it); the default for a
    /// code nobody registered, which is refused later anyway.
    public static func maxInputBytes(for code: String) -> Int {
        (products + diagnostics).first { $0.code == code }?.maxInputBytes ?? 16 * 1024
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
