import ExactMath
import Foundation
import Symbolic

/// `derivative`: d^n/dx^n of an expression, simplified, with the rules used named at each order.
public struct DerivativeSolver: Solver {
    public static let code = "derivative"
    public static let maxOrder = 10

    public init() {}

    struct Input: Decodable {
        let expression: String?
        let variable: String?
        let order: Int?
        let digits: Int?
    }

    public struct Result: Encodable, Sendable {
        public var expression: String
        public var expressionLatex: String
        public var variable: String
        public var order: Int
        public var result: String
        public var latex: String
        public var decimal: String?
        public var steps: [SolutionStep]

        enum CodingKeys: String, CodingKey {
            case expression, variable, order, result, latex, decimal, steps
            case expressionLatex = "expression_latex"
        }
    }

    struct Parsed {
        let expression: Expr
        let variable: String
        let order: Int
        let digits: Int
    }

    func parse(json: Data) throws(SolveError) -> Parsed {
        let input = try CalculusInput.decode(Input.self, json, shape: #"{"expression": "x^2*sin(x)", "variable": "x", "order": 1}"#)
        let variable = try CalculusInput.variable(input.variable)
        let order = input.order ?? 1
        guard (1...Self.maxOrder).contains(order) else {
            throw .invalid("order", vi: "order phải từ 1 đến \(Self.maxOrder).", en: "order must be between 1 and \(Self.maxOrder).")
        }
        let expression = try CalculusInput.parseExpression(input.expression)
        return Parsed(expression: expression, variable: variable, order: order, digits: try CalculusInput.digits(input.digits))
    }

    public func validate(json: Data) throws(SolveError) { _ = try parse(json: json) }

    public func solve(json: Data, deadline: Deadline) throws(SolveError) -> Result {
        let parsed = try parse(json: json)
        let x = parsed.variable
        var steps = [SolutionStep(
            vi: "Rút gọn biểu thức: f(\(x)) = \(parsed.expression.ascii).",
            en: "Simplify the expression: f(\(x)) = \(parsed.expression.ascii).",
            latex: "f(\(x)) = \(parsed.expression.latex)"
        )]
        var current = parsed.expression
        for k in 1...parsed.order {
            let rules = DerivativeRules.used(in: current, variable: x)
            do {
                current = try Differentiator.derivative(current, x, deadline: deadline)
            } catch {
                throw .timeout
            }
            guard current.size <= CalculusInput.maxNodes * 8 else {
                throw SolveError(code: "result_too_large", vi: "Kết quả quá lớn để trình bày.", en: "The result is too large to present.")
            }
            let prime = String(repeating: "'", count: k)
            steps.append(SolutionStep(
                vi: "Đạo hàm cấp \(k), dùng \(rules.map(\.vi).joined(separator: ", ")): f\(prime)(\(x)) = \(current.ascii).",
                en: "Derivative of order \(k), using \(rules.map(\.en).joined(separator: ", ")): f\(prime)(\(x)) = \(current.ascii).",
                latex: "f^{(\(k))}(\(x)) = \(current.latex)"
            ))
        }
        return Result(
            expression: parsed.expression.ascii, expressionLatex: parsed.expression.latex, variable: x, order: parsed.order,
            result: current.ascii, latex: current.latex,
            decimal: current.symbols.isEmpty ? PreciseEvaluator.decimal(current, digits: parsed.digits) : nil, steps: steps
        )
    }
}

/// Which differentiation rules an expression calls for, in vi and en.
enum DerivativeRules {
    static func used(in expr: Expr, variable: String) -> [(vi: String, en: String)] {
        var rules: [(vi: String, en: String)] = []
        func add(_ vi: String, _ en: String) {
            if !rules.contains(where: { $0.en == en }) { rules.append((vi, en)) }
        }
        func visit(_ e: Expr) {
            guard e.contains(variable) else { return }
            switch e {
            case .sum(let terms):
                add("quy tắc tổng", "the sum rule")
                terms.forEach(visit)
            case .product(let factors):
                let varying = factors.filter { $0.contains(variable) }
                if factors.count > varying.count { add("quy tắc hằng số nhân", "the constant multiple rule") }
                if varying.contains(where: { if case .power(_, let p) = $0, let r = p.rationalValue { return r.signum < 0 } else { return false } }) {
                    add("quy tắc thương", "the quotient rule")
                }
                if varying.count > 1 { add("quy tắc tích", "the product rule") }
                factors.forEach(visit)
            case .power(let base, let exponent):
                if exponent.contains(variable) && base.contains(variable) {
                    add("đạo hàm logarit cho f^g: (f^g)' = f^g·(g'·ln f + g·f'/f)", "logarithmic differentiation of f^g: (f^g)' = f^g·(g'·ln f + g·f'/f)")
                } else if exponent.contains(variable) {
                    add("(a^u)' = a^u·ln(a)·u'", "(a^u)' = a^u·ln(a)·u'")
                } else {
                    add("quy tắc lũy thừa (uⁿ)' = n·uⁿ⁻¹·u'", "the power rule (uⁿ)' = n·uⁿ⁻¹·u'")
                }
                if base != .symbol(variable) && base.contains(variable) { add("quy tắc dây chuyền", "the chain rule") }
                visit(base)
                visit(exponent)
            case .function(let function, let argument):
                add("đạo hàm của \(function.rawValue)", "the derivative of \(function.rawValue)")
                if argument != .symbol(variable) { add("quy tắc dây chuyền", "the chain rule") }
                visit(argument)
            default:
                break
            }
        }
        visit(expr)
        return rules.isEmpty ? [("đạo hàm của hằng số bằng 0", "the derivative of a constant is 0")] : rules
    }
}
