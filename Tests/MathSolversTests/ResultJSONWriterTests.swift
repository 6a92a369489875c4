import ExactMath
import Foundation
@testable import MathSolvers
import Testing

/// The workers' one-pass result writer writes the document Foundation's JSONEncoder writes: the
/// same JSON value on real results of every problem type, and valid JSON for awkward strings.
@Suite("result JSON writer")
struct ResultJSONWriterTests {
    struct Sample: Encodable {
        let text = "a \"quoted\" \\ back/slash\n\t\u{01} tiếng Việt √2"
        let number = 42
        let negative = -7
        let flag = false
        let missing: String? = nil
        let present: String? = "here"
        let list = [1, 2, 3]
        let empty: [String] = []
        let nested = [["x"], []]
        let half = 0.5
        let whole = 3.0
        let step = SolutionStep(vi: "Bước", en: "Step", latex: "\\frac{1}{2}")
        let set = SolutionSet.finite(["1", "(1 + sqrt(5))/2"])
    }

    func foundation(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    func parsed(_ data: Data) throws -> NSObject {
        try #require(try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? NSObject)
    }

    @Test func sameDocumentAsFoundation() throws {
        let mine = try ResultJSONWriter().encode(Sample())
        #expect(try parsed(mine) == parsed(try foundation(Sample())))
        let text = String(decoding: mine, as: UTF8.self)
        #expect(text.hasPrefix(#"{"text":"a \"quoted\" \\ back/slash\n\t\u0001 tiếng Việt √2","number":42,"negative":-7,"flag":false,"present":"here","list":[1,2,3],"empty":[],"nested":[["x"],[]],"half":0.5,"whole":3,"step":{"#))
    }

    @Test func sameDocumentOnEveryProblemType() throws {
        let registry = SolverRegistry(diagnosticsEnabled: false)
        let inputs: [(String, String)] = [
            ("quadratic_equation", #"{"equation": "x^2 - x - 1 = 0"}"#),
            ("quadratic_equation", #"{"a": 1, "b": 0, "c": 1}"#),
            ("system_equations", #"{"equations": ["x + 2y = 5", "3x - y = 1"]}"#),
            ("system_equations", #"{"equations": ["x + y = 1", "x + y = 2"]}"#),
            ("derivative", #"{"expression": "x^2*sin(x)"}"#),
            ("indefinite_integral", #"{"expression": "x*e^x"}"#),
            ("definite_integral", #"{"expression": "1/(x^2 + 1)", "lower": "0", "upper": "oo"}"#),
            ("limit", #"{"expression": "sin(x)/x", "point": "0"}"#),
            ("polynomial_equation", #"{"equation": "x^5 - x - 1 = 0"}"#),
            ("polynomial_equation", #"{"equation": "x^4 + x^2 + 1 = 0", "domain": "complex"}"#),
            ("inequality", #"{"inequality": "(x^2 - 2)/(x - 3) >= 0"}"#),
        ]
        for (code, input) in inputs {
            let entry = try registry.solver(for: code)
            let mine = try entry.solve(Data(input.utf8), deadline: Deadline(after: .seconds(10)))
            let theirs = try foundation(try entry.solveValue(Data(input.utf8), Deadline(after: .seconds(10))))
            #expect(try parsed(mine) == parsed(theirs), "\(code) \(input)")
        }
    }
}
