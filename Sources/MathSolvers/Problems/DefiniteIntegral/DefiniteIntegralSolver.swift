import ExactMath
import Foundation
import Symbolic

/// `definite_integral`: the exact value and its decimal, `divergent` with the offending points,
/// or (without an antiderivative) a numeric value flagged `exact: false`.
public struct DefiniteIntegralSolver: Solver {
    public static let code = "definite_integral"
    /// Places printed from the double-precision Gauss–Kronrod estimate, used only when the MPFR
    /// tanh–sinh value does not settle: its error estimate is not a bound (it missed by 10⁻⁹ at
    /// an x^(−1/2) end), so few places.
    public static let fallbackDigits = 6

    public init() {}

    struct Input: Decodable {
        let expression: String?
        let variable: String?
        let lower: ExactNumberField?
        let upper: ExactNumberField?
        let digits: Int?
    }

    public struct Result: Encodable, Sendable {
        public var expression: String
        public var variable: String
        public var lower: String
        public var upper: String
        public var kind: String
        public var exact: Bool
        public var result: String
        public var latex: String
        public var decimal: String?
        public var digits: Int
        public var antiderivative: String?
        public var divergentAt: [String]?
        public var steps: [SolutionStep]

        enum CodingKeys: String, CodingKey {
            case expression, variable, lower, upper, kind, exact, result, latex, decimal, digits, antiderivative, steps
            case divergentAt = "divergent_at"
        }
    }

    struct Parsed {
        let f: Expr
        let x: String
        let lower: LimitPoint
        let upper: LimitPoint
        let digits: Int
    }

    func parse(json: Data) throws(SolveError) -> Parsed {
        let input = try CalculusInput.decode(Input.self, json, shape: #"{"expression": "x^2", "variable": "x", "lower": "0", "upper": "1"}"#)
        let x = try CalculusInput.variable(input.variable)
        let f = try CalculusInput.parseExpression(input.expression)
        func bound(_ value: ExactNumberField?, _ field: String) throws(SolveError) -> LimitPoint {
            guard let text = value?.text else { throw .invalid(field, vi: "Thiếu cận \(field).", en: "The bound \(field) is missing.") }
            do {
                return try LimitPoint.parse(text)
            } catch {
                throw SolveError(code: "syntax_error", vi: "\(field), vị trí \(error.position): \(error.vi)", en: "\(field), position \(error.position): \(error.en)", field: field)
            }
        }
        return Parsed(f: f, x: x, lower: try bound(input.lower, "lower"), upper: try bound(input.upper, "upper"), digits: try CalculusInput.digits(input.digits))
    }

    public func validate(json: Data) throws(SolveError) { _ = try parse(json: json) }

    static let undefinedOnInterval = SolveError(
        code: "undefined_on_interval", vi: "Hàm không xác định trên toàn đoạn lấy tích phân.", en: "The integrand is not defined on the whole interval."
    )

    public func solve(json: Data, deadline: Deadline) throws(SolveError) -> Result {
        let p = try parse(json: json)
        var integral: DefiniteIntegrator.Result
        do {
            integral = try DefiniteIntegrator(variable: p.x, deadline: deadline).integrate(p.f, from: p.lower, to: p.upper)
        } catch .timeout {
            throw .timeout
        } catch .undefinedOnInterval {
            // The double-precision quadrature gave up (often at an integrable end-point
            // singularity such as √(tan x) at π/2); tanh–sinh in MPFR may still settle.
            let settled: PreciseQuadrature.Value?
            do {
                settled = try PreciseQuadrature.integrate(p.f, variable: p.x, from: p.lower, to: p.upper, digits: p.digits, deadline: deadline)
            } catch {
                throw .timeout
            }
            guard let settled, let value = Double(settled.text) else {
                throw Self.undefinedOnInterval
            }
            integral = DefiniteIntegrator.Result(outcome: .numeric(value), antiderivative: nil, breakpoints: [], steps: [])
        } catch {
            if DefiniteIntegrator.notRealInside(p.f, variable: p.x, from: p.lower, to: p.upper) {
                throw Self.undefinedOnInterval
            }
            throw IndefiniteIntegralSolver.unsupported
        }
        let x = p.x
        var steps = [SolutionStep(
            vi: "Tính ∫ từ \(p.lower.ascii) đến \(p.upper.ascii) của \(p.f.ascii) d\(x).",
            en: "Compute the integral of \(p.f.ascii) d\(x) from \(p.lower.ascii) to \(p.upper.ascii).",
            latex: "\\int_{\(p.lower.latex)}^{\(p.upper.latex)} \(p.f.latex)\\,d\(x)"
        )]
        steps += CalculusInput.steps(integral.steps, variable: x)
        if let F = integral.antiderivative {
            steps.append(SolutionStep(vi: "Một nguyên hàm: F(\(x)) = \(F.ascii).", en: "An antiderivative: F(\(x)) = \(F.ascii).", latex: "F(\(x)) = \(F.latex)"))
        }
        if !integral.breakpoints.isEmpty {
            let points = integral.breakpoints.map(\.ascii).joined(separator: ", ")
            steps.append(SolutionStep(
                vi: "Hàm hoặc nguyên hàm gián đoạn tại \(points) trong khoảng: chia đoạn tại đó và lấy giới hạn một phía ở mỗi đầu.",
                en: "The integrand or its antiderivative breaks at \(points) inside the interval: split there and take one-sided limits at each end.",
                latex: nil
            ))
        }
        var result = Result(
            expression: p.f.ascii, variable: x, lower: p.lower.ascii, upper: p.upper.ascii, kind: "convergent", exact: true,
            result: "", latex: "", decimal: nil, digits: p.digits, antiderivative: integral.antiderivative?.ascii, divergentAt: nil, steps: []
        )
        switch integral.outcome {
        case .exact(let value):
            // ∫₀¹ √(−5)·x dx = √(−5)/2: the integrand is nowhere real on the interval.
            if CalculusInput.isNotReal(value) {
                throw Self.undefinedOnInterval
            }
            result.result = value.ascii
            result.latex = value.latex
            result.decimal = PreciseEvaluator.decimal(value, digits: p.digits)
            steps.append(SolutionStep(
                vi: "Giá trị: \(value.ascii) ≈ \(result.decimal ?? "?").", en: "Value: \(value.ascii) ≈ \(result.decimal ?? "?").",
                latex: "\\int_{\(p.lower.latex)}^{\(p.upper.latex)} \(p.f.latex)\\,d\(x) = \(value.latex)"
            ))
        case .divergent(let points):
            result.kind = "divergent"
            result.result = "divergent"
            result.latex = "\\text{divergent}"
            result.divergentAt = points
            let at = points.joined(separator: ", ")
            steps.append(integral.antiderivative == nil
                ? SolutionStep(
                    vi: "Gần \(at), hàm dưới dấu tích phân giữ một dấu và lớn ít nhất như k/|x − c|: tích phân phân kỳ.",
                    en: "Near \(at) the integrand keeps one sign and is at least as large as k/|x − c|: the integral diverges.",
                    latex: "\\text{divergent}"
                )
                : SolutionStep(
                    vi: "Giới hạn của nguyên hàm tại \(at) là vô hạn: tích phân phân kỳ.",
                    en: "The antiderivative's limit at \(at) is infinite: the integral diverges.",
                    latex: "\\text{divergent}"
                ))
        case .numeric(let value):
            // Tanh–sinh in MPFR, run at two precisions: only the places both runs agree on are printed.
            let precise: PreciseQuadrature.Value?
            do {
                precise = try PreciseQuadrature.integrate(p.f, variable: x, from: p.lower, to: p.upper, digits: p.digits, deadline: deadline)
            } catch {
                throw .timeout
            }
            let digits: Int
            let text: String
            let method: (vi: String, en: String)
            if let precise, let approximate = Double(precise.text), abs(approximate - value) <= 1e-6 * max(1, abs(value)) {
                digits = precise.digits
                text = precise.text
                method = (vi: "cầu phương tanh–sinh với độ chính xác tùy ý (MPFR), tính ở hai độ chính xác và chỉ giữ các chữ số trùng nhau",
                          en: "tanh–sinh quadrature in arbitrary precision (MPFR), run at two precisions keeping only the digits both agree on")
            } else {
                // Without a settled MPFR value, the double estimate with few digits.
                digits = min(p.digits, Self.fallbackDigits)
                text = String(format: "%.\(digits)f", value)
                method = (vi: "cầu phương Gauss–Kronrod thích nghi", en: "adaptive Gauss–Kronrod quadrature")
            }
            result.exact = false
            result.result = text
            result.latex = text
            result.decimal = text
            result.digits = digits
            steps.append(SolutionStep(
                vi: "Không có nguyên hàm sơ cấp dùng được: tính số bằng \(method.vi) (\(digits) chữ số).",
                en: "No usable elementary antiderivative: computed numerically by \(method.en) (\(digits) digits).",
                latex: "\\approx \(text)"
            ))
        }
        result.steps = steps
        return result
    }
}
