import ExactMath
import Foundation
import Symbolic

/// `limit`: the exact limit, `oo`/`-oo`, or `does_not_exist` when the sides differ or the
/// function oscillates.
public struct LimitSolver: Solver {
    public static let code = "limit"

    public init() {}

    struct Input: Decodable {
        let expression: String?
        let variable: String?
        let point: ExactNumberField?
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

    /// The refusal when the rules cannot decide the limit.
    static let unsupported = SolveError(code: "unsupported", vi: "Không xác định được giới hạn này bằng các quy tắc hiện có.", en: "This limit could not be determined with the supported rules.")

    /// The refusal for a limit approached from a side where the function is not defined.
    func undefinedOnApproach(_ p: Parsed) -> SolveError {
        let x = p.x
        let side: (vi: String, en: String)
        switch (p.point, p.direction) {
        case (.plusInfinity, _):
            side = ("Hàm không xác định khi \(x) đủ lớn nên không có giới hạn tại +∞.", "The function is not defined for large \(x), so there is no limit at oo.")
        case (.minusInfinity, _):
            side = ("Hàm không xác định khi \(x) âm và đủ lớn về trị tuyệt đối nên không có giới hạn tại −∞.", "The function is not defined for large negative \(x), so there is no limit at -oo.")
        case (.finite(let a), .both):
            side = ("Hàm không xác định ở cả hai phía gần \(a.ascii) nên không có giới hạn.", "The function is not defined on either side near \(a.ascii), so there is no limit.")
        case (.finite(let a), .minus):
            side = ("Hàm không xác định với \(x) < \(a.ascii) ở gần \(a.ascii) nên không có giới hạn trái.", "The function is not defined for \(x) < \(a.ascii) near \(a.ascii), so there is no left-hand limit.")
        case (.finite(let a), _):
            side = ("Hàm không xác định với \(x) > \(a.ascii) ở gần \(a.ascii) nên không có giới hạn phải.", "The function is not defined for \(x) > \(a.ascii) near \(a.ascii), so there is no right-hand limit.")
        }
        return SolveError(code: "undefined_near_point", vi: side.vi, en: side.en)
    }

    public func solve(json: Data, deadline: Deadline) throws(SolveError) -> Result {
        let p = try parse(json: json)
        let trace = LimitTrace()
        let engine = LimitEngine(deadline: deadline, trace: trace)
        func side(_ direction: LimitDirection) throws(SolveError) -> LimitValue {
            do {
                return try engine.limit(p.f, variable: p.x, point: p.point, direction: direction)
            } catch .timeout {
                throw .timeout
            } catch {
                if (try? engine.isUndefinedOnApproach(p.f, variable: p.x, point: p.point, direction: direction)) == true {
                    throw undefinedOnApproach(p)
                }
                throw Self.unsupported
            }
        }
        // Two-sided at a finite point: the answer comes from the two exact one-sided limits.
        var twoSided: LimitEngine.TwoSided?
        if p.direction == .both, case .finite(let a) = p.point {
            do {
                twoSided = try engine.twoSided(p.f, variable: p.x, at: a)
            } catch .timeout {
                throw .timeout
            } catch {
                let undefined = { (direction: LimitDirection) in
                    (try? engine.isUndefinedOnApproach(p.f, variable: p.x, point: p.point, direction: direction)) == true
                }
                if undefined(.plus) && undefined(.minus) { throw undefinedOnApproach(p) }
                throw Self.unsupported
            }
        }
        let value: LimitValue
        if let twoSided { value = twoSided.value } else { value = try side(p.direction) }
        // (2x − 5 − 2x)^(−1/2) → 1/√(−5): nowhere real, so no limit.
        if case .finite(let v) = value, CalculusInput.isNotReal(v) {
            throw undefinedOnApproach(p)
        }
        let arrow = p.direction == .both || p.point == .plusInfinity || p.point == .minusInfinity ? "" : p.direction.rawValue
        let head = "lim_{\(p.x)→\(p.point.ascii)\(arrow)} \(p.f.ascii)"
        let latexHead = "\\lim_{\(p.x) \\to \(p.point.latex)\(arrow.isEmpty ? "" : "^{\(arrow)}")} \(p.f.latex)"
        var steps = [SolutionStep(
            vi: "Tính \(head). Đặt \(p.x) = \(substitutionText(p.point, p.direction)) với t → 0⁺ và xét dạng của biểu thức.",
            en: "Compute \(head). Put \(p.x) = \(substitutionText(p.point, p.direction)) with t → 0⁺ and look at the form of the expression.",
            latex: latexHead
        )]
        if let twoSided, case .finite(let a) = p.point {
            let point = a.ascii
            switch (twoSided.right, twoSided.left) {
            case (let right?, let left?):
                let verdict = twoSided.value == .doesNotExist
                    ? (vi: "Hai giới hạn một phía khác nhau nên giới hạn hai phía không tồn tại.", en: "The one-sided limits differ, so the two-sided limit does not exist.")
                    : (vi: "Hai giới hạn một phía bằng nhau.", en: "The one-sided limits agree.")
                steps.append(SolutionStep(
                    vi: "Giới hạn phải: \(right.ascii); giới hạn trái: \(left.ascii). \(verdict.vi)",
                    en: "Right-hand limit: \(right.ascii); left-hand limit: \(left.ascii). \(verdict.en)",
                    latex: nil
                ))
            case (let right?, nil):
                steps.append(SolutionStep(
                    vi: "Hàm chỉ xác định với \(p.x) > \(point) gần \(point) nên giới hạn là giới hạn phải: \(right.ascii).",
                    en: "The function is defined only for \(p.x) > \(point) near \(point), so the limit is the right-hand limit: \(right.ascii).",
                    latex: nil
                ))
            case (nil, let left?):
                steps.append(SolutionStep(
                    vi: "Hàm chỉ xác định với \(p.x) < \(point) gần \(point) nên giới hạn là giới hạn trái: \(left.ascii).",
                    en: "The function is defined only for \(p.x) < \(point) near \(point), so the limit is the left-hand limit: \(left.ascii).",
                    latex: nil
                ))
            case (nil, nil):
                break
            }
        }
        for (rule, expression) in trace.entries {
            let shown = expression.substituting(.symbol(LimitTrace.variable), with: .symbol("t"))
            let text: (vi: String, en: String)
            switch rule {
            case .rationalFunction:
                text = ("Phân thức hữu tỉ theo t có mẫu dần tới 0: giản ước nhân tử chung rồi so sánh các số hạng bậc thấp nhất của tử và mẫu: \(shown.ascii).",
                        "A rational function of t whose denominator tends to 0: cancel the common factor, then compare the lowest-order terms of numerator and denominator: \(shown.ascii).")
            case .lHopital:
                text = ("Dạng vô định 0/0 hoặc ∞/∞: quy tắc L'Hôpital, xét \(shown.ascii).",
                        "An indeterminate form 0/0 or ∞/∞: L'Hôpital's rule, now \(shown.ascii).")
            case .exponentialForm:
                text = ("Dạng u^v (1^∞, 0⁰, ∞⁰): viết u^v = e^(v·ln u), xét số mũ \(shown.ascii).",
                        "A power u^v (1^∞, 0⁰, ∞⁰): write u^v = e^(v·ln u) and take the limit of the exponent \(shown.ascii).")
            case .commonDenominator:
                text = ("Dạng ∞ − ∞: quy đồng mẫu số thành \(shown.ascii).", "The form ∞ − ∞: over a common denominator, \(shown.ascii).")
            case .growthRates:
                text = ("So sánh tốc độ tăng: tích bằng ±e^E với E = tổng các ln|thừa số|, ở đây E = \(shown.ascii); E → −∞ cho 0, E → +∞ cho ±∞.",
                        "Growth rates: the product is ±e^E with E the sum of the ln|factor|, here E = \(shown.ascii); E → −∞ gives 0, E → +∞ gives ±∞.")
            case .mergedLogarithms:
                text = ("Dạng ∞ − ∞ của các logarit: ln u − ln v = ln(u/v), xét \(shown.ascii).", "The form ∞ − ∞ of logarithms: ln u − ln v = ln(u/v), now \(shown.ascii).")
            case .dominantTerm:
                text = ("Dạng ∞ − ∞: chia tổng cho một số hạng vô hạn, tỉ số \(shown.ascii) có giới hạn khác 0 nên số hạng đó trội.",
                        "The form ∞ − ∞: the sum divided by one infinite term, \(shown.ascii), tends to a non-zero constant, so that term dominates.")
            case .squeeze:
                text = ("Định lý kẹp: thừa số sin/cos/atan bị chặn nhưng không có giới hạn, phần còn lại \(shown.ascii) dần tới 0, nên tích dần tới 0.",
                        "The squeeze theorem: the sin/cos/atan factor is bounded but has no limit, and the rest, \(shown.ascii), tends to 0, so the product tends to 0.")
            }
            steps.append(SolutionStep(vi: text.vi, en: text.en, latex: shown.latex))
        }
        steps.append(SolutionStep(
            vi: "Áp dụng đại số giới hạn và tính liên tục của các hàm sơ cấp. Kết quả: \(value.ascii).",
            en: "Apply the limit laws and the continuity of the elementary functions. Result: \(value.ascii).",
            latex: "\(latexHead) = \(value.latex)"
        ))
        var decimal: String?
        if case .finite(let v) = value { decimal = PreciseEvaluator.decimal(v, digits: p.digits) }
        return Result(
            expression: p.f.ascii, variable: p.x, point: p.point.ascii, direction: p.direction.rawValue,
            result: value.ascii, latex: value.latex, decimal: decimal, steps: steps
        )
    }

    private func substitutionText(_ point: LimitPoint, _ direction: LimitDirection) -> String {
        let sign = direction == .plus ? "+" : (direction == .minus ? "-" : "±")
        switch point {
        case .finite(let a): return a.isZero ? (sign == "+" ? "t" : "\(sign)t") : "\(a.ascii) \(sign) t"
        case .plusInfinity: return "1/t"
        case .minusInfinity: return "-1/t"
        }
    }
}
