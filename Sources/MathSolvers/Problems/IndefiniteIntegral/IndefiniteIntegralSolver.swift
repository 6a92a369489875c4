import ExactMath
import Foundation
import Symbolic

/// `indefinite_integral`: an antiderivative (no + C) with the rules applied, or the error codes
/// `no_elementary_antiderivative` / `unsupported` when there is none to give.
public struct IndefiniteIntegralSolver: Solver {
    public static let code = "indefinite_integral"

    public init() {}

    struct Input: Decodable {
        let expression: String?
        let variable: String?
    }

    public struct Result: Encodable, Sendable {
        public var expression: String
        public var expressionLatex: String
        public var variable: String
        public var result: String
        public var latex: String
        public var rules: [String]
        public var steps: [SolutionStep]

        enum CodingKeys: String, CodingKey {
            case expression, variable, result, latex, rules, steps
            case expressionLatex = "expression_latex"
        }
    }

    static let noElementary = SolveError(
        code: "no_elementary_antiderivative",
        vi: "Hàm này không có nguyên hàm sơ cấp (định lý Liouville); hãy dùng tích phân xác định để có giá trị số.",
        en: "This function has no elementary antiderivative (Liouville's theorem); a definite integral gives a numeric value."
    )
    static let unsupported = SolveError(
        code: "unsupported",
        vi: "Dạng tích phân này chưa được hỗ trợ; xem README để biết các dạng được hỗ trợ.",
        en: "This kind of integral is not supported yet; the README lists the supported classes."
    )

    func parse(json: Data) throws(SolveError) -> (Expr, String) {
        let input = try CalculusInput.decode(Input.self, json, shape: #"{"expression": "x*e^x", "variable": "x"}"#)
        let variable = try CalculusInput.variable(input.variable)
        return (try CalculusInput.parseExpression(input.expression), variable)
    }

    public func validate(json: Data) throws(SolveError) { _ = try parse(json: json) }

    public func solve(json: Data, deadline: Deadline) throws(SolveError) -> Result {
        let (f, x) = try parse(json: json)
        let integrator = Integrator(variable: x, deadline: deadline)
        let antiderivative: Expr
        do {
            antiderivative = try integrator.antiderivative(f)
        } catch .timeout {
            throw .timeout
        } catch .noElementaryAntiderivative {
            throw Self.noElementary
        } catch {
            throw Self.unsupported
        }
        var steps = [SolutionStep(
            vi: "Rút gọn hàm dưới dấu tích phân: \(f.ascii).", en: "Simplify the integrand: \(f.ascii).",
            latex: "\\int \(f.latex)\\,d\(x)"
        )]
        steps += CalculusInput.steps(integrator.steps, variable: x)
        steps.append(SolutionStep(
            vi: "Kết quả (cộng thêm hằng số C): \(antiderivative.ascii). Kiểm tra: đạo hàm của kết quả bằng hàm dưới dấu tích phân.",
            en: "Result (add a constant C): \(antiderivative.ascii). Check: its derivative is the integrand.",
            latex: "\\int \(f.latex)\\,d\(x) = \(antiderivative.latex) + C"
        ))
        var rules: [String] = []
        for step in integrator.steps.reversed() where !rules.contains(step.rule.rawValue) { rules.append(step.rule.rawValue) }
        return Result(
            expression: f.ascii, expressionLatex: f.latex, variable: x, result: antiderivative.ascii, latex: antiderivative.latex,
            rules: rules, steps: steps
        )
    }
}
