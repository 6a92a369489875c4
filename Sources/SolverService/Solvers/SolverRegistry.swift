import ExactMath
import Foundation
import MathFarmCore

/// Maps problem codes to solvers. The API uses `validate` (cheap, before any money moves);
/// workers use `solve`, under the problem's soft deadline.
public struct SolverRegistry: Sendable {
    /// Test-only problems (see `ProblemCatalog.installDiagnosticProblems`).
    public let diagnosticsEnabled: Bool

    public init(diagnosticsEnabled: Bool) {
        self.diagnosticsEnabled = diagnosticsEnabled
    }

    public static let unknownProblem = SolveError(
        code: "unknown_problem", vi: "Không có dạng bài này.", en: "No such problem type."
    )

    /// Largest input document per problem, bytes of JSON (413 past it).
    public static func maxInputBytes(for code: String) -> Int {
        code == LinearSystemSolver.code ? LinearSystemSolver.maxInputBytes : 16 * 1024
    }

    public func validate(code: String, input: Data) throws(SolveError) {
        switch code {
        case QuadraticSolver.code:
            _ = try QuadraticSolver().parse(json: input)
        case LinearSystemSolver.code:
            _ = try LinearSystemSolver().parse(json: input)
        case DerivativeSolver.code:
            try DerivativeSolver().validate(json: input)
        case IndefiniteIntegralSolver.code:
            try IndefiniteIntegralSolver().validate(json: input)
        case DefiniteIntegralSolver.code:
            try DefiniteIntegralSolver().validate(json: input)
        case LimitSolver.code:
            try LimitSolver().validate(json: input)
        case DiagnosticSolver.sleepCode where diagnosticsEnabled:
            _ = try DiagnosticSolver.parse(input)
        case DiagnosticSolver.crashCode where diagnosticsEnabled:
            _ = try DiagnosticSolver.parse(input)
        default:
            throw Self.unknownProblem
        }
    }

    /// The result document (JSON) of a successful solve.
    public func solve(code: String, input: Data, deadline: Deadline) throws(SolveError) -> Data {
        switch code {
        case QuadraticSolver.code:
            return try encode(try QuadraticSolver().solve(json: input, deadline: deadline))
        case LinearSystemSolver.code:
            return try encode(try LinearSystemSolver().solve(json: input, deadline: deadline))
        case DerivativeSolver.code:
            return try encode(try DerivativeSolver().solve(json: input, deadline: deadline))
        case IndefiniteIntegralSolver.code:
            return try encode(try IndefiniteIntegralSolver().solve(json: input, deadline: deadline))
        case DefiniteIntegralSolver.code:
            return try encode(try DefiniteIntegralSolver().solve(json: input, deadline: deadline))
        case LimitSolver.code:
            return try encode(try LimitSolver().solve(json: input, deadline: deadline))
        case DiagnosticSolver.sleepCode where diagnosticsEnabled:
            return try encode(try DiagnosticSolver.sleep(input, deadline: deadline))
        case DiagnosticSolver.crashCode where diagnosticsEnabled:
            DiagnosticSolver.crash()
        default:
            throw Self.unknownProblem
        }
    }

    private func encode(_ value: some Encodable) throws(SolveError) -> Data {
        do {
            return try JSONBody.encode(value)
        } catch {
            throw SolveError(code: "internal_error", vi: "Không ghi được kết quả.", en: "The result could not be encoded.")
        }
    }
}

/// Test-only problems that misbehave on purpose: `diagnostic_sleep` sleeps (cooperatively, or
/// ignoring its deadline like a runaway computation), `diagnostic_crash` kills its process.
enum DiagnosticSolver {
    static let sleepCode = "diagnostic_sleep"
    static let crashCode = "diagnostic_crash"

    struct Input: Decodable {
        let seconds: Double?
        let cooperative: Bool?
    }

    struct Result: Encodable {
        let slept: Double
    }

    static func parse(_ data: Data) throws(SolveError) -> Input {
        do {
            let input = try JSONDecoder().decode(Input.self, from: data)
            guard (input.seconds ?? 0) >= 0, (input.seconds ?? 0) <= 600 else { throw SolveError.invalid("seconds", vi: "0–600 giây.", en: "0 to 600 seconds.") }
            return input
        } catch let error as SolveError {
            throw error
        } catch {
            throw .invalid("input", vi: "Đầu vào không hợp lệ.", en: "Invalid input.")
        }
    }

    static func sleep(_ data: Data, deadline: Deadline) throws(SolveError) -> Result {
        let input = try parse(data)
        let seconds = input.seconds ?? 0
        let end = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < end {
            if input.cooperative ?? true {
                do { try deadline.check() } catch { throw .timeout }
            }
            usleep(10_000)
        }
        return Result(slept: seconds)
    }

    static func crash() -> Never {
        // Simulates a solver bug that takes the whole worker process down.
        abort()
    }
}
