import ExactMath
import Foundation
import MathSolvers
import Testing

/// `extrema_on_interval` through the registry: the textbook method's values, exactly.
@Suite("extrema on an interval")
struct ExtremaOnIntervalTests {
    let registry = SolverRegistry(diagnosticsEnabled: false)

    func solve(_ json: String) throws -> [String: Any] {
        let data = try registry.solve(code: "extrema_on_interval", input: Data(json.utf8), deadline: Deadline(after: .seconds(10)))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func extremum(_ result: [String: Any], _ key: String) -> (String?, [String]?) {
        let object = result[key] as? [String: Any]
        return (object?["value"] as? String, object?["at"] as? [String])
    }

    func failure(_ json: String) -> SolveError? {
        do {
            try registry.validate(code: "extrema_on_interval", input: Data(json.utf8))
            _ = try registry.solve(code: "extrema_on_interval", input: Data(json.utf8), deadline: Deadline(after: .seconds(10)))
            return nil
        } catch {
            return error
        }
    }

    @Test func polynomialWithCriticalPointsInside() throws {
        let result = try solve(#"{"function": "x^3 - 3x + 1", "lower": 0, "upper": 2}"#)
        #expect(extremum(result, "max") == ("3", ["2"]))
        #expect(extremum(result, "min") == ("-1", ["1"]))
    }

    @Test func tiesListEveryPoint() throws {
        let result = try solve(#"{"function": "x^4 - 2x^2 + 3", "lower": -2, "upper": 3}"#)
        #expect(extremum(result, "min") == ("2", ["-1", "1"]))
        #expect(extremum(result, "max") == ("66", ["3"]))
    }

    @Test func surdCriticalPointsGiveExactValues() throws {
        let result = try solve(#"{"function": "x^3 - 6x", "lower": 0, "upper": 3}"#)
        #expect(extremum(result, "min") == ("-4*sqrt(2)", ["sqrt(2)"]))
        #expect(extremum(result, "max") == ("9", ["3"]))
        let decimal = (result["min"] as? [String: Any])?["decimal"] as? String
        #expect(decimal == "-5.656854249492380")  // −4√2 = −5.65685424949238019…
    }

    @Test func rationalFunctions() throws {
        let result = try solve(#"{"function": "(x^2 + 3)/(x - 1)", "lower": 2, "upper": 5}"#)
        #expect(extremum(result, "min") == ("6", ["3"]))
        #expect(extremum(result, "max") == ("7", ["2", "5"]))
    }

    @Test func refusals() {
        #expect(failure(#"{"function": "1/x", "lower": -1, "upper": 1}"#)?.field == "function")
        #expect(failure(#"{"function": "x^2", "lower": 2, "upper": 1}"#)?.field == "upper")
        #expect(failure(#"{"function": "sin(x)", "lower": 0, "upper": 1}"#)?.field == "function")
        #expect(failure(#"{"function": "x^2"}"#) != nil)
        // f' = x³ − 2 vanishes at ∛2 inside [0, 3]: no square-root form, refused.
        #expect(failure(#"{"function": "x^4/4 - 2x", "lower": 0, "upper": 3}"#)?.code == "unsupported")
    }
}
