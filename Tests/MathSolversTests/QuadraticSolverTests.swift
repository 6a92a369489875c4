import ExactMath
import Foundation
import MathSolvers
import Testing

@Suite("quadratic_equation solver")
struct QuadraticSolverTests {
    let solver = QuadraticSolver()
    let deadline = Deadline(after: .seconds(10))

    func solve(_ json: String) throws -> QuadraticSolver.Result {
        try solver.solve(json: Data(json.utf8), deadline: deadline)
    }

    @Test func twoRationalRoots() throws {
        let result = try solve(#"{"equation": "2x^2 - 3x + 1 = 0"}"#)
        #expect(result.kind == "two_real")
        #expect(result.discriminant == "1")
        #expect(result.roots == ["1/2", "1"])
        #expect(result.rootsDecimal == ["0.500000000000000", "1.000000000000000"])
        #expect(result.equation == "2*x^2 - 3*x + 1 = 0")
    }

    @Test func surdRoots() throws {
        let result = try solve(#"{"a": 1, "b": -3, "c": 1, "digits": 20}"#)
        #expect(result.kind == "two_real")
        #expect(result.discriminant == "5")
        #expect(result.roots == ["(3 - sqrt(5))/2", "(3 + sqrt(5))/2"])
        #expect(result.rootsLatex == ["\\frac{3 - \\sqrt{5}}{2}", "\\frac{3 + \\sqrt{5}}{2}"])
        #expect(result.rootsDecimal == ["0.38196601125010515180", "2.61803398874989484820"])
    }

    @Test func surdsAreSimplified() throws {
        // x² − 8 = 0 → ±2√2; 2x² + 4x − 4 = 0 → −1 ± √3.
        #expect(try solve(#"{"a": "1", "b": "0", "c": "-8"}"#).roots == ["-2*sqrt(2)", "2*sqrt(2)"])
        #expect(try solve(#"{"a": 2, "b": 4, "c": -4}"#).roots == ["-1 - sqrt(3)", "-1 + sqrt(3)"])
        // Fractions and decimals as coefficients: x²/2 − 0.5x − 1/4 = 0 → (1 ± √3)/2.
        #expect(try solve(#"{"a": "1/2", "b": "-0.5", "c": "-1/4"}"#).roots == ["(1 - sqrt(3))/2", "(1 + sqrt(3))/2"])
    }

    @Test func doubleRoot() throws {
        let result = try solve(#"{"equation": "x^2 + 2x + 1 = 0"}"#)
        #expect(result.kind == "double")
        #expect(result.roots == ["-1"])
        #expect(result.discriminant == "0")
    }

    @Test func complexRoots() throws {
        let result = try solve(#"{"a": 1, "b": -2, "c": 5, "digits": 3}"#)
        #expect(result.kind == "complex")
        #expect(result.discriminant == "-16")
        #expect(result.roots == ["1 - 2*I", "1 + 2*I"])
        #expect(result.rootsDecimal == ["1.000 - 2.000*I", "1.000 + 2.000*I"])
        let surd = try solve(#"{"a": 1, "b": 1, "c": 1, "digits": 4}"#)
        #expect(surd.roots == ["-1/2 - sqrt(3)*I/2", "-1/2 + sqrt(3)*I/2"])
        #expect(surd.rootsLatex == ["-\\frac{1}{2} - \\frac{\\sqrt{3}}{2}i", "-\\frac{1}{2} + \\frac{\\sqrt{3}}{2}i"])
        #expect(surd.rootsDecimal == ["-0.5000 - 0.8660*I", "-0.5000 + 0.8660*I"])
        #expect(try solve(#"{"a": 1, "b": 0, "c": 4}"#).roots == ["-2*I", "2*I"])
    }

    @Test func degenerateCases() throws {
        let linear = try solve(#"{"a": 0, "b": 4, "c": -2}"#)
        #expect(linear.kind == "linear" && linear.roots == ["1/2"])
        let none = try solve(#"{"a": 0, "b": 0, "c": 3}"#)
        #expect(none.kind == "none" && none.roots.isEmpty)
        let all = try solve(#"{"equation": "x^2 + x = x^2 + x"}"#)
        #expect(all.kind == "all")
    }

    @Test func equationsWithTermsOnBothSides() throws {
        let result = try solve(#"{"equation": "3t^2 = 1/2t + 1"}"#)
        #expect(result.variable == "t")
        #expect(result.roots.count == 2)
        // 3t² − t/2 − 1 = 0 → Δ = 1/4 + 12 = 49/4, t = (1/2 ± 7/2)/6 → −1/2, 2/3.
        #expect(result.roots == ["-1/2", "2/3"])
    }

    @Test func hugeCoefficientsStayExact() throws {
        let big = "1" + String(repeating: "0", count: 300)
        let result = try solve(#"{"a": 1, "b": 0, "c": "-\#(big)"}"#)
        #expect(result.roots == ["-1" + String(repeating: "0", count: 150), "1" + String(repeating: "0", count: 150)])
    }

    @Test(arguments: [
        (#"{"equation": "x^3 = 1"}"#, "equation"),
        (#"{"equation": "x^2 + y = 0"}"#, "equation"),
        (#"{"equation": "x^2 + 1"}"#, "equation"),
        (#"{"equation": "2x^2 + = 0"}"#, "equation"),
        (#"{"a": "1/0", "b": 1, "c": 1}"#, "a"),
        (#"{"a": "one", "b": 1, "c": 1}"#, "a"),
        (#"{"a": 1, "c": 1}"#, "b"),
        (#"{"a": 1, "b": 1, "c": 1, "digits": 5000}"#, "digits"),
        (#"[1, 2, 3]"#, "input"),
    ])
    func invalidInputNamesTheField(_ json: String, _ field: String) {
        #expect {
            try solve(json)
        } throws: { error in
            (error as? SolveError)?.field == field && (error as? SolveError)?.code == "invalid_input"
        }
    }

    @Test func syntaxErrorsPointAtThePosition() {
        #expect {
            try solve(#"{"equation": "2x^2 + * 3 = 0"}"#)
        } throws: { error in
            (error as? SolveError)?.message.en.contains("position 8") == true
        }
    }

    @Test func stepsComeInBothLanguages() throws {
        let result = try solve(#"{"a": 1, "b": -3, "c": 1}"#)
        #expect(result.steps.count >= 3)
        #expect(result.steps.allSatisfy { !$0.text.vi.isEmpty && !$0.text.en.isEmpty && $0.text.vi != $0.text.en })
        #expect(result.steps.contains { $0.latex?.contains("\\Delta") == true })
    }

    @Test func anExpiredDeadlineStopsTheSolver() {
        #expect(throws: SolveError.timeout) {
            try solver.solve(json: Data(#"{"a": 1, "b": 1, "c": -3}"#.utf8), deadline: Deadline(after: .seconds(-1)))
        }
    }
}
