import ExactMath
import Foundation
import MathSolvers
import Testing

/// Solvers stop at their own deadline (checked inside their loops), so a hard input costs a
/// worker its soft timeout and about a second more, never the supervisor's hard kill.
@Suite("solver deadlines")
struct SolverDeadlineTests {
    let registry = SolverRegistry(diagnosticsEnabled: false)

    /// The input of issue 12 §5: a 200×200 system with 1000-digit diagonal entries, which used
    /// to run past its deadline until the supervisor killed the worker.
    func hugeDiagonalSystem() -> Data {
        let n = 200
        let big = String(repeating: "9", count: 1000)
        var generator = SystemRandomNumberGenerator()
        let matrix = (0..<n).map { i in (0..<n).map { j in i == j ? big : String(Int.random(in: -9...9, using: &generator)) } }
        let rhs = (0..<n).map { _ in String(Int.random(in: -9...9, using: &generator)) }
        let json = try? JSONSerialization.data(withJSONObject: ["matrix": matrix, "rhs": rhs])
        return json ?? Data()
    }

    @Test func aHugeSystemStopsWithinASecondOfItsDeadline() throws {
        let input = hugeDiagonalSystem()
        #expect(input.count <= registry.maxInputBytes(for: LinearSystemSolver.code))
        try registry.validate(code: LinearSystemSolver.code, input: input)
        let timeout = Duration.seconds(2)
        let start = ContinuousClock.now
        var outcome: SolveError?
        do {
            _ = try registry.solve(code: LinearSystemSolver.code, input: input, deadline: Deadline(after: timeout))
        } catch {
            outcome = error
        }
        let elapsed = ContinuousClock.now - start
        #expect(outcome?.code == SolveError.timeout.code, "expected a timeout, got \(String(describing: outcome?.code))")
        #expect(elapsed < timeout + .seconds(1), "returned after \(elapsed)")
    }
}
