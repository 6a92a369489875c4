import ExactMath
import Foundation
import MathSolvers
import Testing

/// `inequality` end to end through the registry: intervals, closedness, excluded points,
/// isolated points, the sign chart.
@Suite("inequalities")
struct InequalityTests {
    let registry = SolverRegistry(diagnosticsEnabled: false)

    func solve(_ inequality: String) throws -> [String: Any] {
        let json = try JSONSerialization.data(withJSONObject: ["inequality": inequality])
        let data = try registry.solve(code: "inequality", input: json, deadline: Deadline(after: .seconds(20)))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The set as one line: `(-oo; -2) U [1; oo)`, isolated points as `{p}`.
    func written(_ inequality: String) throws -> String {
        let set = try #require(try solve(inequality)["solution_set"] as? [String: Any])
        switch set["kind"] as? String {
        case "empty": return "empty"
        case "all_reals": return "R"
        case "finite": return "{" + ((set["points"] as? [String]) ?? []).joined(separator: "; ") + "}"
        default:
            var parts = ((set["intervals"] as? [[String: Any]]) ?? []).map { interval in
                ((interval["lower_closed"] as? Bool) == true ? "[" : "(") + "\(interval["lower"] ?? "")" + "; " + "\(interval["upper"] ?? "")"
                    + ((interval["upper_closed"] as? Bool) == true ? "]" : ")")
            }
            if let points = set["points"] as? [String], !points.isEmpty { parts.append("{" + points.joined(separator: "; ") + "}") }
            return parts.joined(separator: " U ")
        }
    }

    func failure(_ inequality: String) -> SolveError? {
        do {
            let json = try JSONSerialization.data(withJSONObject: ["inequality": inequality])
            try registry.validate(code: "inequality", input: json)
            return nil
        } catch let error as SolveError {
            return error
        } catch {
            return nil
        }
    }

    @Test func polynomialInequalities() throws {
        #expect(try written("x^2 - 3x + 2 > 0") == "(-oo; 1) U (2; oo)")
        #expect(try written("x^2 - 3x + 2 <= 0") == "[1; 2]")
        #expect(try written("x^3 - 4x < 0") == "(-oo; -2) U (0; 2)")
        #expect(try written("x^2 + 1 > 0") == "R")
        #expect(try written("x^2 + 1 < 0") == "empty")
        #expect(try written("x^2 - 2 >= 0") == "(-oo; -sqrt(2)] U [sqrt(2); oo)")
    }

    @Test func evenMultiplicitiesAndIsolatedPoints() throws {
        #expect(try written("(x - 1)^2 > 0") == "(-oo; 1) U (1; oo)")
        #expect(try written("(x - 1)^2 <= 0") == "{1}")
        #expect(try written("(x - 1)^2*(x + 2) >= 0") == "[-2; oo)")
        #expect(try written("-(x - 1)^2*(x - 3)^2 >= 0") == "{1; 3}")
        #expect(try written("(x - 1)^2*(x - 3) <= 0") == "(-oo; 3]")
    }

    @Test func rationalInequalitiesExcludeTheDenominatorsZeros() throws {
        #expect(try written("(x - 1)/(x + 2) >= 0") == "(-oo; -2) U [1; oo)")
        #expect(try written("1/x < 1") == "(-oo; 0) U (1; oo)")
        #expect(try written("(x^2 - 1)/(x - 1) >= 0") == "[-1; 1) U (1; oo)")
        let result = try solve("(x - 1)/(x + 2) >= 0")
        let chart = try #require(result["sign_chart"] as? [String: Any])
        #expect(chart["points"] as? [String] == ["-2", "1"])
        #expect(chart["values"] as? [String] == ["||", "0"])
        #expect(chart["signs"] as? [String] == ["+", "-", "+"])
        #expect(result["excluded"] as? [String] == ["-2"])
    }

    @Test func termsOnBothSidesAndUnicodeRelations() throws {
        #expect(try written("x^2 ≥ 4") == "(-oo; -2] U [2; oo)")
        #expect(try written("2x + 1 < x - 3") == "(-oo; -4)")
    }

    @Test func outOfScopeInputIsRefusedBeforeAnyCharge() {
        #expect(failure("sqrt(x) > 1")?.field == "inequality")
        #expect(failure("x^2 = 1")?.field == "inequality")
        #expect(failure("x < 1 < 2")?.field == "inequality")
        #expect(failure("x^21 > 0")?.field == "inequality")
    }
}
