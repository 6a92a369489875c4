import ExactMath
import Foundation
import MathSolvers
import Testing

@Suite("Solver registry")
struct SolverRegistryTests {
    @Test func dispatchesByCodeToTheRegisteredSolver() throws {
        let registry = SolverRegistry(diagnosticsEnabled: false)
        let input = Data(#"{"a": 1, "b": -3, "c": 2}"#.utf8)
        try registry.validate(code: QuadraticSolver.code, input: input)
        let document = try registry.solve(code: QuadraticSolver.code, input: input, deadline: Deadline(after: .seconds(5)))
        let direct = try QuadraticSolver().solve(json: input, deadline: Deadline(after: .seconds(5)))
        let decoded = try JSONSerialization.jsonObject(with: document) as? [String: Any]
        #expect(decoded?["roots"] as? [String] == direct.roots)
        #expect(direct.roots.count == 2)
    }

    @Test func unknownCodesAndDisabledDiagnosticsAreRefused() {
        let registry = SolverRegistry(diagnosticsEnabled: false)
        #expect(throws: SolverRegistry.unknownProblem) { try registry.validate(code: "no_such_problem", input: Data("{}".utf8)) }
        #expect(!registry.handles(DiagnosticSleepSolver.code))
        #expect(throws: SolverRegistry.unknownProblem) { try registry.validate(code: DiagnosticSleepSolver.code, input: Data("{}".utf8)) }
        #expect(SolverRegistry(diagnosticsEnabled: true).handles(DiagnosticSleepSolver.code))
    }

    @Test func inputLimitsComeFromTheSolver() {
        #expect(SolverRegistry(diagnosticsEnabled: false).maxInputBytes(for: LinearSystemSolver.code) == LinearSystemSolver.maxInputBytes)
        #expect(SolverRegistry(diagnosticsEnabled: false).maxInputBytes(for: QuadraticSolver.code) == 16 * 1024)
    }

    @Test func aBadInputIsTheSolversOwnError() {
        let registry = SolverRegistry(diagnosticsEnabled: false)
        do {
            try registry.validate(code: QuadraticSolver.code, input: Data(#"{"a": "one", "b": 0, "c": 0}"#.utf8))
            Issue.record("a coefficient that is not a number was accepted")
        } catch {
            #expect(error.field != nil)
        }
    }
}
