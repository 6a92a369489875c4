import ExactMath
import Foundation
import MathSolvers
import Testing

/// The registry's schemas are the rule the API enforces: what they declare is checked, what they
/// do not declare is refused, and every solver's results fit the result schema it publishes.
@Suite("Problem schemas")
struct ProblemSchemaTests {
    let registry = SolverRegistry(diagnosticsEnabled: true)

    private func refusal(_ code: String, _ input: String) -> SolveError? {
        do {
            try registry.validate(code: code, input: Data(input.utf8))
            return nil
        } catch {
            return error
        }
    }

    @Test func everyRegisteredSchemaIsOneTheCheckEnforces() throws {
        for entry in SolverRegistry.products + SolverRegistry.diagnostics {
            _ = try ProblemSchema(entry.inputSchema.text)
            _ = try ProblemSchema(entry.outputSchema)
            let published = try #require(try JSONSerialization.jsonObject(with: Data(entry.inputSchema.text.utf8)) as? [String: Any])
            #expect(published["type"] as? String == "object", "\(entry.code)")
            #expect(published["additionalProperties"] as? Bool == false, "\(entry.code) must refuse undeclared fields")
        }
    }

    @Test func aKeywordTheCheckDoesNotImplementIsRejectedWhenTheSchemaIsBuilt() {
        #expect(throws: ProblemSchema.Unsupported.self) {
            try ProblemSchema(#"{"type": "object", "properties": {"email": {"type": "string", "format": "email"}}}"#)
        }
        #expect(throws: ProblemSchema.Unsupported.self) { try ProblemSchema(#"{"type": "strnig"}"#) }
        #expect(throws: ProblemSchema.Unsupported.self) { try ProblemSchema(#"{"pattern": "(unclosed"}"#) }
    }

    @Test func anUndeclaredFieldIsRefusedNamingItAndTheAcceptedOnes() throws {
        let error = try #require(refusal(QuadraticSolver.code, #"{"a": 1, "b": -3, "c": 2, "precision": 5}"#))
        #expect(error.code == "unknown_field")
        #expect(error.field == "precision")
        #expect(error.message.en.contains("a, b, c, digits, equation"))
        #expect(refusal(DerivativeSolver.code, #"{"expression": "x^2", "varaible": "t"}"#)?.field == "varaible")
    }

    @Test func aMissingRequiredFieldIsNamed() {
        let error = refusal(DefiniteIntegralSolver.code, #"{"expression": "x", "lower": 0}"#)
        #expect(error?.code == "missing_field")
        #expect(error?.field == "upper")
    }

    @Test func typesBoundsAndEnumerationsAreChecked() {
        #expect(refusal(DerivativeSolver.code, #"{"expression": "x^2", "digits": "5"}"#)?.field == "digits")
        #expect(refusal(DerivativeSolver.code, #"{"expression": "x^2", "digits": 2.5}"#)?.field == "digits")
        #expect(refusal(DerivativeSolver.code, #"{"expression": "x^2", "order": 11}"#)?.message.en == "'order' must be between 1 and \(DerivativeSolver.maxOrder).")
        #expect(refusal(DerivativeSolver.code, #"{"expression": "x^2", "digits": \#(DecimalApproximation.maxDigits + 1)}"#)?.field == "digits")
        #expect(refusal(LimitSolver.code, #"{"expression": "x", "point": 0, "direction": "left"}"#)?.message.en.contains(#""+", "-", "both""#) == true)
        #expect(refusal(QuadraticSolver.code, #"{"a": true, "b": 0, "c": 0}"#)?.field == "a")
        #expect(refusal(DiagnosticSleepSolver.code, #"{"seconds": -1}"#)?.field == "seconds")
        #expect(refusal(DerivativeSolver.code, #"{"expression": "x^2", "variable": "e"}"#)?.field == "variable")
        let long = String(repeating: "x+", count: 1_000) + "x"
        #expect(refusal(DerivativeSolver.code, #"{"expression": "\#(long)"}"#)?.field == "expression")
    }

    @Test func nestedValuesAreNamedByTheirPosition() {
        #expect(refusal(LinearSystemSolver.code, #"{"matrix": [[1, 2], [3, false]], "rhs": [1, 2]}"#)?.field == "matrix[1][1]")
        #expect(refusal(LinearSystemSolver.code, #"{"equations": ["x = 1", 2]}"#)?.field == "equations[1]")
        #expect(refusal(LinearSystemSolver.code, #"{"matrix": [], "rhs": []}"#)?.field == "matrix")
    }

    @Test func theAlternativeFormsAreExclusive() throws {
        let both = try #require(refusal(QuadraticSolver.code, #"{"a": 1, "b": 0, "c": -1, "equation": "x^2 = 1"}"#))
        #expect(both.field == "input")
        #expect(both.message.en.contains("{a, b, c} | {equation}"))
        #expect(refusal(QuadraticSolver.code, #"{"a": 1, "b": 0}"#)?.field == "input")
        #expect(refusal(LinearSystemSolver.code, #"{"equations": ["x = 1"], "rhs": [1]}"#)?.field == "input")
        #expect(refusal(QuadraticSolver.code, #"{"equation": "x^2 = 1", "digits": 3}"#) == nil)
        #expect(refusal(LinearSystemSolver.code, #"{"matrix": [["1/2", 1.5]], "rhs": [1e3]}"#) == nil)
    }

    @Test func aDocumentThatIsNotAnObjectIsRefused() {
        #expect(refusal(LimitSolver.code, "[1, 2]")?.field == "input")
        #expect(refusal(LimitSolver.code, "not json")?.field == "input")
    }

    /// A number past Double's range is still a number to the schema; the solver reads it exactly.
    @Test func hugeNumbersAreNumbers() throws {
        let schema = try ProblemSchema(QuadraticSolver.inputSchema)
        try schema.check(Data(#"{"a": 1e200, "b": -1e300, "c": 123456789012345678901234567890}"#.utf8))
        // Past what Foundation's JSON reader holds at all: refused with the way out, not a crash.
        #expect(refusal(QuadraticSolver.code, #"{"a": 1e400, "b": 0, "c": -1}"#)?.message.en.contains("as strings") == true)
    }

    @Test(arguments: [
        (QuadraticSolver.code, #"{"a": 1, "b": -3, "c": 2}"#),
        (QuadraticSolver.code, #"{"a": 1, "b": 0, "c": 1}"#),
        (LinearSystemSolver.code, #"{"equations": ["x + 2y = 5", "3x - y = 1"]}"#),
        (LinearSystemSolver.code, #"{"matrix": [[1, 1], [2, 2]], "rhs": [1, 2]}"#),
        (LinearSystemSolver.code, #"{"matrix": [[1, 1], [1, 1]], "rhs": [1, 2]}"#),
        (DerivativeSolver.code, #"{"expression": "sin(x)^2", "order": 2}"#),
        (IndefiniteIntegralSolver.code, #"{"expression": "x*e^x"}"#),
        (DefiniteIntegralSolver.code, #"{"expression": "1/x^2", "lower": 1, "upper": "oo"}"#),
        (DefiniteIntegralSolver.code, #"{"expression": "1/x", "lower": 0, "upper": 1}"#),
        (LimitSolver.code, #"{"expression": "sin(x)/x", "point": 0}"#),
    ])
    func resultsFitThePublishedResultSchema(code: String, input: String) throws {
        let entry = try registry.solver(for: code)
        let result = try entry.solve(Data(input.utf8), deadline: Deadline(after: .seconds(10)))
        try ProblemSchema(entry.outputSchema).check(result)
    }
}
