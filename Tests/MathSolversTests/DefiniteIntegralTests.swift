import ExactMath
import Foundation
import Symbolic
import Testing

@Suite("definite integrals")
struct DefiniteIntegralTests {
    func integrate(_ text: String, _ lower: String, _ upper: String) throws -> DefiniteIntegrator.Result {
        try DefiniteIntegrator(variable: "x").integrate(try ExpressionParser.parse(text), from: try LimitPoint.parse(lower), to: try LimitPoint.parse(upper))
    }

    func exact(_ text: String, _ lower: String, _ upper: String) throws -> String? {
        if case .exact(let value) = try integrate(text, lower, upper).outcome { return value.ascii }
        return nil
    }

    @Test func examplesFromTheIssue() throws {
        #expect(try exact("cos(x)^3", "0", "pi/2") == "2/3")
        #expect(try exact("1/x^3", "1", "oo") == "1/2")
        #expect(try integrate("1/(x - 1)^2", "0", "2").outcome == .divergent(at: ["1"]))
    }

    @Test(arguments: [
        ("x^2", "0", "3", "9"), ("1/(1 + x^2)", "-oo", "oo", "pi"), ("e^(-x)", "0", "oo", "1"), ("ln(x)", "0", "1", "-1"),
        ("1/sqrt(x)", "0", "4", "4"), ("sin(x)", "0", "pi", "2"), ("1/(x^2 + 4)", "0", "2", "pi/8"), ("x*e^x", "0", "1", "1"),
        ("1/(2 + cos(x))", "0", "2*pi", "2*sqrt(3)*pi/3"), ("sqrt(1 - x^2)", "-1", "1", "pi/2"), ("x^3", "2", "0", "-4"),
        ("1/x", "e", "e^2", "1"),
        // The session-3 rules, and an end where a non-polynomial part vanishes but F has a limit.
        ("x*sin(x)^2", "0", "pi", "pi^2/4"), ("sin(3x)*cos(2x)", "0", "pi", "6/5"), ("1/(1 + sqrt(x))", "0", "4", "4 - 2*ln(3)"),
        ("1/(e^x + e^(-x))", "-oo", "oo", "pi/2"), ("cos(ln(x))", "1", "e", "e*(cos(1) + sin(1))/2 - 1/2"),
        ("1/(e^x - 1)", "1", "2", "ln(e^2 - 1) - ln(e - 1) - 1"), ("sqrt(x)/(1 + x)", "0", "1", "2 - pi/2"),
    ])
    func exactValues(_ f: String, _ a: String, _ b: String, _ expected: String) throws {
        let value = try exact(f, a, b)
        let expectedValue = try ExpressionParser.parse(expected)
        let text = try #require(value)
        let got = try ExpressionParser.parse(text)
        #expect(NumericCheck.agreeCount(got, expectedValue, points: [0]).mismatch == nil, "\(f) on [\(a), \(b)] = \(value ?? "nil")")
    }

    @Test(arguments: [
        ("1/x", "-1", "1"), ("1/x", "0", "1"), ("e^x", "0", "oo"), ("tan(x)", "0", "pi"),
        // Singular at an end through a part that is not a polynomial (√(x + 1) − 1, e^x − 1).
        ("1/(x*sqrt(x + 1))", "0", "3"), ("1/(e^x - 1)", "0", "1"),
    ])
    func divergentIntegrals(_ f: String, _ a: String, _ b: String) throws {
        guard case .divergent = try integrate(f, a, b).outcome else {
            Issue.record("\(f) on [\(a), \(b)] should diverge")
            return
        }
    }

    @Test func noAntiderivativeGivesANumericValue() throws {
        // ∫₀¹ sin(x²) dx = 0.310268301723381101808152…
        guard case .numeric(let value) = try integrate("sin(x^2)", "0", "1").outcome else {
            Issue.record("expected a numeric value")
            return
        }
        #expect(Swift.abs(value - 0.3102683017233811) < 1e-12)
    }

    @Test func decimalsComeFromTheExactValue() throws {
        let value = try ExpressionParser.parse("pi/4 + ln(2)/2")
        #expect(PreciseEvaluator.decimal(value, digits: 30) == "1.131971753677420964324276906549")
        #expect(PreciseEvaluator.decimal(try ExpressionParser.parse("e"), digits: 50) == "2.71828182845904523536028747135266249775724709369996")
    }
}
