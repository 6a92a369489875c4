import ExactMath
import Foundation
import MathSolvers
import Symbolic
import Testing

/// The problem codes end to end through `SolverRegistry` (what workers and `mathfarm solve` run):
/// result documents, error codes, input limits.
@Suite("calculus and system solvers")
struct CalculusSolverTests {
    let registry = SolverRegistry(diagnosticsEnabled: false)

    func solve(_ code: String, _ json: String) throws -> [String: Any] {
        let data = try registry.solve(code: code, input: Data(json.utf8), deadline: Deadline(after: .seconds(20)))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func failure(_ code: String, _ json: String) -> SolveError? {
        do {
            try registry.validate(code: code, input: Data(json.utf8))
            _ = try registry.solve(code: code, input: Data(json.utf8), deadline: Deadline(after: .seconds(20)))
            return nil
        } catch {
            return error
        }
    }

    @Test func derivativeOfXToTheLnX() throws {
        let result = try solve("derivative", #"{"expression": "x^ln(x)"}"#)
        #expect(result["result"] as? String == "2*ln(x)*x^(ln(x) - 1)")
        let steps = try #require(result["steps"] as? [[String: Any]])
        #expect(steps.count == 2)
        let text = try #require((steps[1]["text"] as? [String: String])?["en"])
        #expect(text.contains("logarithmic differentiation"))
    }

    @Test func higherOrderDerivativesAgreeWithRepeatedDifferentiation() throws {
        let third = try solve("derivative", #"{"expression": "x^5*sin(x)", "order": 3}"#)
        let expected = try Differentiator.derivative(try ExpressionParser.parse("x^5*sin(x)"), "x", order: 3)
        let text = try #require(third["result"] as? String)
        #expect(try ExpressionParser.parse(text) == expected)
    }

    @Test func derivativeAgreesWithDifferenceQuotient() throws {
        // Seeded random expressions from a small grammar; central differences at random points.
        var generator = SeededGenerator(seed: 2026)
        let atoms = ["x", "sin(x)", "cos(2x)", "e^x", "ln(x^2 + 1)", "atan(x)", "sqrt(x^2 + 3)", "x^3", "1/(x^2 + 2)", "tanh(x)"]
        for _ in 0..<60 {
            let a = atoms.randomElement(using: &generator) ?? "x"
            let b = atoms.randomElement(using: &generator) ?? "x"
            let c = atoms.randomElement(using: &generator) ?? "x"
            let text = ["(\(a))*(\(b)) + \(c)", "(\(a))/(\(b) + 3)", "(\(a))^2 - (\(b))*(\(c))", "sin(\(a)) + e^(\(b)/5)"].randomElement(using: &generator) ?? a
            let f = try ExpressionParser.parse(text)
            let derivative = try Differentiator.derivative(f, "x")
            for _ in 0..<4 {
                let x = Double.random(in: -2...2, using: &generator)
                let h = 1e-5
                guard let d = NumericEvaluator.evaluate(derivative, ["x": x]), let up = NumericEvaluator.evaluate(f, ["x": x + h]),
                      let down = NumericEvaluator.evaluate(f, ["x": x - h]) else { continue }
                let quotient = (up - down) / (2 * h)
                #expect(Swift.abs(d - quotient) <= 1e-5 * Swift.max(1, Swift.abs(d)), "d/dx \(text) at \(x): \(d) vs \(quotient)")
            }
        }
    }

    @Test func antiderivativesDifferentiateBack() throws {
        // Seeded random integrands built from the supported classes; F' must equal f.
        var generator = SeededGenerator(seed: 77)
        let shapes = [
            "(A)*x^N*e^(B*x)", "x^N*sin(B*x)", "x^N*cos(B*x)", "(A)/(x^2 + B)", "(A*x + 1)/((x - B)*(x + A))", "sin(B*x)^N*cos(B*x)",
            "x^N*ln(x)", "e^(A*x)*sin(B*x)", "(x + A)^N", "1/sqrt(B - x^2)", "sqrt(x^2 + B)", "sec(B*x)^2", "x/(x^2 + B)^2",
        ]
        for _ in 0..<60 {
            var text = shapes.randomElement(using: &generator) ?? "x"
            text = text.replacingOccurrences(of: "A", with: String(Int.random(in: 1...5, using: &generator)))
            text = text.replacingOccurrences(of: "B", with: String(Int.random(in: 1...4, using: &generator)))
            text = text.replacingOccurrences(of: "N", with: String(Int.random(in: 1...4, using: &generator)))
            let f = try ExpressionParser.parse(text)
            let F = try Integrator(variable: "x").antiderivative(f)
            let check = NumericCheck.agreeCount(try Differentiator.derivative(F, "x"), f, points: NumericCheck.samplePoints)
            #expect(check.compared >= 3 && check.mismatch == nil, "∫ \(text) = \(F.ascii)")
        }
    }

    @Test func definiteIntegralsAgreeWithQuadrature() throws {
        var generator = SeededGenerator(seed: 5)
        let shapes = ["x^N*e^(-x)", "sin(x)^N", "1/(x^2 + B)", "x*cos(B*x)", "ln(x + B)", "x^N/(x + B)"]
        for _ in 0..<30 {
            var text = shapes.randomElement(using: &generator) ?? "x"
            text = text.replacingOccurrences(of: "B", with: String(Int.random(in: 1...4, using: &generator)))
            text = text.replacingOccurrences(of: "N", with: String(Int.random(in: 1...4, using: &generator)))
            let upper = Int.random(in: 1...3, using: &generator)
            let result = try solve("definite_integral", #"{"expression": "\#(text)", "lower": 0, "upper": \#(upper), "digits": 12}"#)
            #expect(result["exact"] as? Bool == true, "\(text) on [0, \(upper)]")
            let f = try ExpressionParser.parse(text)
            let numeric = try #require(NumericQuadrature.integrate({ NumericEvaluator.evaluate(f, ["x": $0]) }, from: 0, to: Double(upper)))
            let decimalText = try #require(result["decimal"] as? String)
            let decimal = try #require(Double(decimalText))
            #expect(Swift.abs(decimal - numeric.value) < 1e-9 * Swift.max(1, Swift.abs(numeric.value)), "\(text): \(decimal) vs \(numeric.value)")
        }
    }

    @Test func issueExamples() throws {
        #expect(try solve("indefinite_integral", #"{"expression": "(x^2 + 2x)/(x^3 + 3x^2 + 1)"}"#)["result"] as? String == "ln(abs(x^3 + 3*x^2 + 1))/3")
        #expect(try solve("definite_integral", #"{"expression": "cos(x)^3", "lower": 0, "upper": "pi/2"}"#)["result"] as? String == "2/3")
        #expect(try solve("definite_integral", #"{"expression": "1/x^3", "lower": 1, "upper": "oo"}"#)["result"] as? String == "1/2")
        let divergent = try solve("definite_integral", #"{"expression": "1/(x - 1)^2", "lower": 0, "upper": 2}"#)
        #expect(divergent["kind"] as? String == "divergent")
        #expect(divergent["divergent_at"] as? [String] == ["1"])
        #expect(try solve("limit", #"{"expression": "sin(3x)/(5x)", "point": 0}"#)["result"] as? String == "3/5")
        #expect(try solve("limit", #"{"expression": "1/(x - 2)", "point": 2}"#)["result"] as? String == "does_not_exist")
        let numeric = try solve("definite_integral", #"{"expression": "e^(-x^2)", "lower": 0, "upper": 1, "digits": 30}"#)
        #expect(numeric["exact"] as? Bool == false)
        #expect(numeric["digits"] as? Int == 30)
        #expect(numeric["decimal"] as? String == "0.746824132812427025399467436132")  // erf(1)·√π/2 (mpmath)
        let short = try solve("definite_integral", #"{"expression": "sin(x^2)", "lower": 0, "upper": 1, "digits": 10}"#)
        #expect(short["decimal"] as? String == "0.3102683017")
        let limitSteps = try #require(try solve("limit", #"{"expression": "sin(3x)/(5x)", "point": 0}"#)["steps"] as? [[String: Any]])
        #expect(limitSteps.contains { ($0["text"] as? [String: String])?["en"]?.contains("L'Hôpital") == true })
    }

    @Test func errorsAreSpecific() {
        #expect(failure("indefinite_integral", #"{"expression": "sin(x^2)"}"#)?.code == "no_elementary_antiderivative")
        #expect(failure("indefinite_integral", #"{"expression": "sqrt(1 + x^3)"}"#)?.code == "unsupported")
        #expect(failure("derivative", #"{"expression": "sin(x"}"#)?.code == "syntax_error")
        #expect(failure("derivative", #"{"expression": "x^2", "order": 11}"#)?.field == "order")
        #expect(failure("derivative", #"{"expression": "x^2", "variable": "xy"}"#)?.field == "variable")
        #expect(failure("limit", #"{"expression": "x", "point": "0", "direction": "up"}"#)?.field == "direction")
        #expect(failure("limit", #"{"expression": "x*y", "point": "0"}"#)?.field == "expression")
        #expect(failure("definite_integral", #"{"expression": "x", "lower": "a", "upper": 1}"#)?.field == "lower")
        #expect(failure("definite_integral", #"{"expression": "x", "lower": "a"}"#)?.field == "upper")
        #expect(failure("derivative", #"{"expression": "\#(String(repeating: "x+", count: 1100))x"}"#)?.field == "expression")
        #expect(failure("system_equations", #"{"equations": ["x*y = 1"]}"#)?.field == "equations[0]")
        #expect(failure("system_equations", #"{"matrix": [[1, 2], [3]], "rhs": [1, 2]}"#)?.field == "matrix[1]")
        #expect(failure("system_equations", #"{"matrix": [[1]], "rhs": ["1/0"]}"#)?.field == "rhs[0]")
    }

    @Test func systemFromEquationTextWithFractionsAndDecimals() throws {
        let result = try solve("system_equations", #"{"equations": ["1/2 x + 0.25y = 1", "y = 3 - x + 1"]}"#)
        #expect(result["kind"] as? String == "unique")
        let solution = try #require(result["solution"] as? [[String: String]])
        #expect(solution.map { $0["value"] } == ["0", "4"])
        #expect(solution.map { $0["variable"] } == ["x", "y"])
    }

    @Test func largeSystemThroughTheRegistry() throws {
        var generator = SeededGenerator(seed: 9)
        let n = 60
        let matrix = (0..<n).map { _ in (0..<n).map { _ in Int.random(in: -1000...1000, using: &generator) } }
        let rhs = (0..<n).map { _ in Int.random(in: -1000...1000, using: &generator) }
        let json = String(decoding: try JSONSerialization.data(withJSONObject: ["matrix": matrix, "rhs": rhs]), as: UTF8.self)
        let result = try solve("system_equations", json)
        #expect(result["method"] as? String == "dixon")
        let values = try #require(result["solution"] as? [[String: String]]).compactMap { $0["value"] }.compactMap { try? ExactNumberParser.parse($0) }
        #expect(values.count == n)
        let system = LinearSystem(matrix: matrix.map { $0.map { Rational($0) } }, rhs: rhs.map { Rational($0) })
        #expect(system.apply(values) == system.rhs)
        // Determinant agrees with the fraction-free elimination.
        let exact = try system.solve(recordSteps: true)
        #expect(result["determinant"] as? String == exact.determinant?.description)
    }
}
