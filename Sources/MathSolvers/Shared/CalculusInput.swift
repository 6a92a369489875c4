import ExactMath
import Foundation
import Symbolic

/// The fields the calculus problems share: an expression in the section-4 syntax, the variable,
/// and the digits of decimal values. Parse errors name the field and the character position.
struct CalculusInput {
    static let maxExpressionLength = 2_000
    /// Expressions past this many nodes after simplification are refused (they come from long
    /// but legal input such as (x+1)^1000 expanded by a rule).
    static let maxNodes = 4_000

    let expression: Expr
    let variable: String
    let digits: Int

    static func parseExpression(_ text: String?, field: String = "expression", variable: String? = nil) throws(SolveError) -> Expr {
        guard let text else {
            throw .invalid(field, vi: "Thiếu \(field).", en: "\(field) is missing.")
        }
        guard text.count <= maxExpressionLength else {
            throw .invalid(field, vi: "\(field) dài quá \(maxExpressionLength) ký tự.", en: "\(field) is longer than \(maxExpressionLength) characters.")
        }
        let expression: Expr
        do {
            expression = try ExpressionParser.parse(text)
        } catch {
            throw SolveError(code: "syntax_error", vi: "\(field), vị trí \(error.position): \(error.vi)", en: "\(field), position \(error.position): \(error.en)", field: field)
        }
        guard expression.size <= maxNodes else {
            throw .invalid(field, vi: "Biểu thức quá lớn.", en: "The expression is too large.")
        }
        if let variable, let other = expression.symbols.first(where: { $0 != variable }) {
            throw .invalid(field, vi: "Biểu thức chứa '\(other)' ngoài biến '\(variable)'.", en: "The expression contains '\(other)' besides the variable '\(variable)'.")
        }
        return expression
    }

    static func variable(_ name: String?) throws(SolveError) -> String {
        let name = name ?? "x"
        if name == "x" { return name }
        guard (try? ExpressionParser.parse(name)) == .symbol(name) else {
            throw .invalid("variable", vi: "Biến phải là một chữ cái (có thể kèm chỉ số), khác e.", en: "The variable must be one letter (optionally indexed), not e.")
        }
        return name
    }

    static func digits(_ value: Int?) throws(SolveError) -> Int {
        let digits = value ?? QuadraticSolver.defaultDigits
        guard (0...DecimalApproximation.maxDigits).contains(digits) else {
            throw .invalid("digits", vi: "digits phải từ 0 đến \(DecimalApproximation.maxDigits).", en: "digits must be between 0 and \(DecimalApproximation.maxDigits).")
        }
        return digits
    }

    static func decode<T: Decodable>(_ type: T.Type, _ json: Data, shape: String) throws(SolveError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: json)
        } catch {
            throw .invalid("input", vi: "Đầu vào phải có dạng \(shape).", en: "The input must look like \(shape).")
        }
    }

    /// The integrator's steps outermost first, each integrand once.
    /// Whether an exact result is not a real number (√(−5)/2, 1/√(−5)): the function it came
    /// from is nowhere real there, so the answer is a refusal. Both evaluators must fail, so a
    /// real value too large for a double (e^997) still stands.
    static func isNotReal(_ value: Expr) -> Bool {
        PreciseEvaluator.decimal(value, digits: 0) == nil && NumericEvaluator.evaluate(value) == nil
    }

    static func steps(_ recorded: [IntegrationStep], variable: String) -> [SolutionStep] {
        var seen: Set<Expr> = []
        var result: [SolutionStep] = []
        for item in recorded.reversed() where seen.insert(item.integrand).inserted {
            result.append(step(item, variable: variable))
        }
        return result
    }

    /// "∫ … = …" style LaTeX of one rule application, and its names.
    static func step(_ step: IntegrationStep, variable: String) -> SolutionStep {
        let names = step.rule.names
        let d = "\\,d\(variable)"
        return SolutionStep(
            vi: "Áp dụng \(names.vi): ∫ \(step.integrand.ascii) d\(variable) = \(step.result.ascii).",
            en: "Apply \(names.en): ∫ \(step.integrand.ascii) d\(variable) = \(step.result.ascii).",
            latex: "\\int \(step.integrand.latex)\(d) = \(step.result.latex)"
        )
    }
}
