import ExactMath
import Foundation
import Symbolic

/// `limit`: the exact limit, `oo`/`-oo`, or `does_not_exist` when the sides differ or the
/// function oscillates.
public struct LimitSolver: Sendable {
    public static let code = "limit"

    public init() {}

    struct Input: Decodable {
        let expression: String?
        let variable: String?
        let point: ExactNumberOrText?
        let direction: String?
        let digits: Int?
    }

    public struct Result: Encodable, Sendable {
        public var expression: String
        public var variable: String
        public var point: String
        public var direction: String
        public var result: String
        public var latex: String
        public var decimal: String?
        public var steps: [SolutionStep]
    }

    struct Parsed {
        let f: Expr
        let x: String
        let point: LimitPoint
        let direction: LimitDirection
        let digits: Int
    }

    func parse(json: Data) throws(SolveError) -> Parsed {
        let input = try CalculusInput.decode(Input.self, json, shape: #"{"expression": "sin(x)/x", "variable": "x", "point": "0", "direction": "both"}"#)
        let x = try CalculusInput.variable(input.variable)
        let f = try CalculusInput.parseExpression(input.expression, variable: x)
        guard let pointText = input.point?.text else { throw .invalid("point", vi: "Thiếu điểm giới hạn.", en: "The point is missing.") }
        let point: LimitPoint
        do {
            point = try LimitPoint.parse(pointText)
        } catch {
            throw SolveError(code: "syntax_error", vi: "point, vị trí \(error.position): \(error.vi)", en: "point, position \(error.position): \(error.en)", field: "point")
        }
        guard let direction = LimitDirection(rawValue: input.direction ?? "both") else {
            throw .invalid("direction", vi: "direction là \"+\", \"-\" hoặc \"both\".", en: "direction is \"+\", \"-\" or \"both\".")
        }
        return Parsed(f: f, x: x, point: point, direction: direction, digits: try CalculusInput.digits(input.digits))
    }

    public func validate(json: Data) throws(SolveError) { _ = try parse(json: json) }

    public func solve(json: Data, deadline: Deadline) throws(SolveError) -> Result {
        let p = try parse(json: json)
        let engine = LimitEngine(deadline: deadline)
        func side(_ direction: LimitDirection) throws(SolveError) -> LimitValue {
            do {
                return try engine.limit(p.f, variable: p.x, point: p.point, direction: direction)
            } catch .timeout {
                throw .timeout
            } catch {
                throw SolveError(code: "unsupported", vi: "Không xác định được giới hạn này bằng các quy tắc hiện có.", en: "This limit could not be determined with the supported rules.")
            }
        }
        let value = try side(p.direction)
        let arrow = p.direction == .both || p.point == .plusInfinity || p.point == .minusInfinity ? "" : p.direction.rawValue
        let head = "lim_{\(p.x)→\(p.point.ascii)\(arrow)} \(p.f.ascii)"
        let latexHead = "\\lim_{\(p.x) \\to \(p.point.latex)\(arrow.isEmpty ? "" : "^{\(arrow)}")} \(p.f.latex)"
        var steps = [SolutionStep(
            vi: "Tính \(head). Đặt \(p.x) = \(substitutionText(p.point, p.x)) với t → 0⁺ và xét dạng của biểu thức.",
            en: "Compute \(head). Put \(p.x) = \(substitutionText(p.point, p.x)) with t → 0⁺ and look at the form of the expression.",
            latex: latexHead
        )]
        if p.direction == .both, case .finite = p.point {
            let right = try side(.plus)
            let left = try side(.minus)
            steps.append(SolutionStep(
                vi: "Giới hạn phải: \(right.ascii); giới hạn trái: \(left.ascii).", en: "Right-hand limit: \(right.ascii); left-hand limit: \(left.ascii).",
                latex: nil
            ))
        }
        steps.append(SolutionStep(
            vi: "Dùng đại số giới hạn; dạng vô định 0/0, ∞/∞, 0·∞ qua quy tắc L'Hôpital, dạng 1^∞, 0⁰, ∞⁰ qua e^(v·ln u). Kết quả: \(value.ascii).",
            en: "Limit algebra; the indeterminate forms 0/0, ∞/∞, 0·∞ by L'Hôpital's rule, 1^∞, 0⁰, ∞⁰ through e^(v·ln u). Result: \(value.ascii).",
            latex: "\(latexHead) = \(value.latex)"
        ))
        var decimal: String?
        if case .finite(let v) = value { decimal = PreciseEvaluator.decimal(v, digits: p.digits) }
        return Result(
            expression: p.f.ascii, variable: p.x, point: p.point.ascii, direction: p.direction.rawValue,
            result: value.ascii, latex: value.latex, decimal: decimal, steps: steps
        )
    }

    private func substitutionText(_ point: LimitPoint, _ x: String) -> String {
        switch point {
        case .finite(let a): return a.isZero ? "±t" : "\(a.ascii) ± t"
        case .plusInfinity: return "1/t"
        case .minusInfinity: return "-1/t"
        }
    }
}
