import ExactMath
import Foundation
import MathFarmCore
import MathSolvers
import SolverService
import Symbolic

/// The website's one door into the solver module's parsers: checks an input exactly as a
/// submission is checked (`SolverRegistry.validate`, which the API runs before any money
/// moves) and renders what would be solved as LaTeX and plain text. When the solvers move to
/// their own module or rename their parsers, this file is the one to change.
enum ProblemPreview {
    struct Rendering: Sendable, Equatable {
        let latex: String
        let text: String
    }

    /// Validates; nil rendering for a valid input of a problem the preview cannot draw.
    static func check(problem code: String, input: JSONValue, registry: SolverRegistry) -> Result<Rendering?, SolveError> {
        let data: Data
        do {
            data = try JSONBody.encode(input)
        } catch {
            return .failure(SolveError(code: "invalid_input", vi: "Đầu vào không hợp lệ.", en: "Invalid input.", field: "input"))
        }
        do throws(SolveError) {
            try registry.validate(code: code, input: data)
        } catch {
            return .failure(error)
        }
        return .success(render(problem: code, input: input, data: data))
    }

    static func render(problem code: String, input: JSONValue, data: Data) -> Rendering? {
        func string(_ key: String) -> String? {
            if case .string(let value)? = input[key] { return value }
            if case .number(let value)? = input[key] { return "\(value)" }
            return nil
        }
        let variable = string("variable") ?? "x"
        switch code {
        case QuadraticSolver.code:
            guard let parsed = try? QuadraticSolver().parse(json: data) else { return nil }
            return quadratic(parsed)
        case DerivativeSolver.code:
            guard let f = expression(string("expression")) else { return nil }
            let order = Int(string("order") ?? "1") ?? 1
            let d = order == 1 ? "\\frac{d}{d\(variable)}" : "\\frac{d^{\(order)}}{d\(variable)^{\(order)}}"
            let prime = String(repeating: "'", count: min(order, 3))
            return Rendering(latex: "\(d)\\left(\(f.latex)\\right)", text: order <= 3 ? "(\(f.ascii))\(prime)" : "d^\(order)/d\(variable)^\(order) (\(f.ascii))")
        case IndefiniteIntegralSolver.code:
            guard let f = expression(string("expression")) else { return nil }
            return Rendering(latex: "\\int \(f.latex)\\,d\(variable)", text: "∫ \(f.ascii) d\(variable)")
        case DefiniteIntegralSolver.code:
            guard let f = expression(string("expression")), let lower = bound(string("lower")), let upper = bound(string("upper")) else { return nil }
            return Rendering(
                latex: "\\int_{\(lower.latex)}^{\(upper.latex)} \(f.latex)\\,d\(variable)",
                text: "∫[\(lower.text); \(upper.text)] \(f.ascii) d\(variable)"
            )
        case LimitSolver.code:
            guard let f = expression(string("expression")), let point = bound(string("point")) else { return nil }
            let side = ["+": "^{+}", "-": "^{-}"][string("direction") ?? "both"] ?? ""
            let textSide = ["+": "+", "-": "-"][string("direction") ?? "both"] ?? ""
            return Rendering(
                latex: "\\lim_{\(variable) \\to \(point.latex)\(side)} \(f.latex)",
                text: "lim(\(variable) → \(point.text)\(textSide)) \(f.ascii)"
            )
        case LinearSystemSolver.code:
            guard case .array(let lines)? = input["equations"] else { return nil }
            var latex: [String] = []
            var text: [String] = []
            for case .string(let line) in lines.prefix(12) {
                let sides = line.split(separator: "=", maxSplits: 1).map(String.init)
                guard sides.count == 2, let left = expression(sides[0]), let right = expression(sides[1]) else { return nil }
                latex.append("\(left.latex) = \(right.latex)")
                text.append("\(left.ascii) = \(right.ascii)")
            }
            if lines.count > 12 { latex.append("\\vdots"); text.append("…") }
            return Rendering(latex: "\\begin{cases} " + latex.joined(separator: " \\\\ ") + " \\end{cases}", text: text.joined(separator: "; "))
        default:
            return nil
        }
    }

    static func expression(_ text: String?) -> Expr? {
        guard let text else { return nil }
        return try? ExpressionParser.parse(text)
    }

    static func bound(_ text: String?) -> Rendering? {
        guard let text, let point = try? LimitPoint.parse(text) else { return nil }
        switch point {
        case .finite(let value): return Rendering(latex: value.latex, text: value.ascii)
        case .plusInfinity: return Rendering(latex: "+\\infty", text: "+∞")
        case .minusInfinity: return Rendering(latex: "-\\infty", text: "−∞")
        }
    }

    /// `a·x² + b·x + c = 0` as the solver will read it, highest power first, zero terms left out.
    static func quadratic(_ parsed: QuadraticSolver.Parsed) -> Rendering {
        let x = parsed.variable
        var latex = ""
        var text = ""
        for (coefficient, power) in [(parsed.a, 2), (parsed.b, 1), (parsed.c, 0)] where !coefficient.isZero {
            let negative = coefficient.signum < 0
            let magnitude = negative ? -coefficient : coefficient
            let isOne = magnitude == .one && power > 0
            let sign = latex.isEmpty ? (negative ? "-" : "") : (negative ? " - " : " + ")
            let monomialLatex = power == 0 ? "" : (power == 1 ? x : "\(x)^{2}")
            let monomialText = power == 0 ? "" : (power == 1 ? x : "\(x)^2")
            latex += sign + (isOne ? "" : magnitude.latex) + monomialLatex
            text += sign + (isOne ? "" : magnitude.description + (power > 0 && !magnitude.isInteger ? "*" : "")) + monomialText
        }
        if latex.isEmpty { (latex, text) = ("0", "0") }
        return Rendering(latex: latex + " = 0", text: text + " = 0")
    }

    /// A "did you mean" for a refused input: the rewrite of the field the error names, if
    /// that rewrite passes the same check. Nil when there is none.
    static func suggestion(problem code: String, values: [String: String], form: ProblemForm, error: SolveError, registry: SolverRegistry) -> (field: String, text: String)? {
        let named = form.field(named: error.field) ?? form.fields.first { field in
            values[field.name].map { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? false
        }?.name
        guard let field = named, let original = values[field], let spec = form.fields.first(where: { $0.name == field }) else { return nil }
        let corrected: String
        switch (field, spec.control) {
        case ("equation", _): corrected = InputCorrections.equation(original, requireEquals: code == QuadraticSolver.code)
        case (_, .number): corrected = InputCorrections.number(original)
        case (_, .lines): corrected = original.split(whereSeparator: \.isNewline).map { InputCorrections.equation(String($0), requireEquals: false) }.joined(separator: "\n")
        case (_, .text): corrected = InputCorrections.expression(original)
        default: return nil
        }
        guard corrected != original.trimmingCharacters(in: .whitespacesAndNewlines), corrected != original else { return nil }
        var fixed = values
        fixed[field] = corrected
        guard let input = try? form.input(from: fixed), case .success = check(problem: code, input: input, registry: registry) else { return nil }
        return (field, corrected)
    }
}
