import ExactMath
import Foundation
import MathSolvers
import Symbolic
import Testing

/// `polynomial_equation` end to end through the registry, and the exact root isolation under it.
@Suite("polynomial equations")
struct PolynomialEquationTests {
    let registry = SolverRegistry(diagnosticsEnabled: false)

    func solve(_ json: String) throws -> [String: Any] {
        let data = try registry.solve(code: "polynomial_equation", input: Data(json.utf8), deadline: Deadline(after: .seconds(20)))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func points(_ result: [String: Any]) -> [String] {
        ((result["solution_set"] as? [String: Any])?["points"] as? [String]) ?? []
    }

    func kind(_ result: [String: Any]) -> String? {
        (result["solution_set"] as? [String: Any])?["kind"] as? String
    }

    func failure(_ json: String) -> SolveError? {
        do {
            try registry.validate(code: "polynomial_equation", input: Data(json.utf8))
            _ = try registry.solve(code: "polynomial_equation", input: Data(json.utf8), deadline: Deadline(after: .seconds(20)))
            return nil
        } catch {
            return error
        }
    }

    @Test func rationalRootsAscendingWithMultiplicities() throws {
        let result = try solve(#"{"equation": "x^3 - 6x^2 + 11x - 6 = 0"}"#)
        #expect(points(result) == ["1", "2", "3"])
        #expect(result["exact"] as? Bool == true)
        let repeated = try solve(#"{"equation": "(x-1)^3*(2x+1)^2 = 0"}"#)
        #expect(points(repeated) == ["-1/2", "1"])
        #expect((repeated["roots"] as? [[String: Any]])?.map { $0["multiplicity"] as? Int } == [2, 3])
    }

    @Test func biquadraticAndSurds() throws {
        #expect(points(try solve(#"{"equation": "x^4 = 5x^2 - 4"}"#)) == ["-2", "-1", "1", "2"])
        #expect(points(try solve(#"{"equation": "x^2 - x - 1 = 0"}"#)) == ["(1 - sqrt(5))/2", "(1 + sqrt(5))/2"])
        #expect(points(try solve(#"{"equation": "0.5x^2 = 1"}"#)) == ["-sqrt(2)", "sqrt(2)"])
    }

    @Test func cardanoBothForms() throws {
        let one = try solve(#"{"equation": "x^3 - 2 = 0"}"#)
        #expect(points(one) == ["2^(1/3)"])
        #expect((one["complex_roots"] as? [String])?.count == 2)
        let three = try solve(#"{"equation": "x^3 - 3x + 1 = 0"}"#)
        let decimals = try #require((three["roots"] as? [[String: Any]])?.compactMap { $0["decimal"] as? String })
        #expect(decimals == ["-1.879385241571817", "0.347296355333861", "1.532088886237956"])
        #expect(points(three).allSatisfy { $0.contains("cos(") })
    }

    @Test func higherIrreducibleFactorsAreCertifiedDecimals() throws {
        let result = try solve(#"{"equation": "x^5 - x - 1 = 0"}"#)
        #expect(result["exact"] as? Bool == false)
        // The real root of x⁵ − x − 1 to 30 places (mpmath, 50 digits: 1.1673039782614186842560458998548...).
        #expect(points(result) == ["1.167303978261418684256045899855"])
        #expect(result["unlisted_complex_roots"] as? Int == 4)
        // Complex roots with no closed form are refused, not guessed.
        #expect(failure(#"{"equation": "x^5 - x - 1 = 0", "domain": "complex"}"#)?.code == "unsupported")
    }

    @Test func complexDomainListsEveryRoot() throws {
        let result = try solve(#"{"equation": "x^4 + x^2 + 1 = 0", "domain": "complex"}"#)
        #expect(points(result).count == 4)
        #expect(kind(try solve(#"{"equation": "x^4 + x^2 + 1 = 0"}"#)) == "empty")
    }

    @Test func degenerateEquations() throws {
        #expect(kind(try solve(#"{"equation": "x + 1 = x + 1"}"#)) == "all_reals")
        #expect(kind(try solve(#"{"equation": "x^2 + 1 = x^2"}"#)) == "empty")
        #expect(points(try solve(#"{"equation": "x^20 = 0"}"#)) == ["0"])
    }

    @Test func badInputNamesTheField() {
        #expect(failure(#"{"equation": "x^21 = 1"}"#)?.field == "equation")
        #expect(failure(#"{"equation": "sin(x) = 0"}"#)?.field == "equation")
        #expect(failure(#"{"equation": "x^2 + 1"}"#)?.field == "equation")
        #expect(failure(#"{"equation": "x^2 = y"}"#)?.field == "equation")
        #expect(failure(#"{"equation": "x^2 = 1", "domain": "p-adic"}"#) != nil)
        #expect(failure(#"{"equation": "x^2 = 1", "extra": 1}"#) != nil)
    }

    @Test func isolationFindsEveryRealRootExactly() throws {
        // (x − 1/3)(x² − 2)(x − 7): the rational roots are proved, √2 bracketed.
        let f = Polynomial([Rational(-1, 3), .one]) * Polynomial([Rational(-2), .zero, .one]) * Polynomial([Rational(-7), .one])
        let isolation = try #require(RealRootIsolation(f))
        let roots = try isolation.roots(width: Rational(1, 1_000_000))
        #expect(roots.count == 4)
        #expect(roots[1] == .rational(Rational(1, 3)))
        #expect(roots[3] == .rational(Rational(7)))
        guard case .isolated(let lower, let upper) = roots[2] else { Issue.record("√2 should be isolated"); return }
        #expect(lower * lower < Rational(2) && upper * upper > Rational(2) && upper - lower < Rational(1, 1_000_000))
    }
}
