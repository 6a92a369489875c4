import ExactMath
import Foundation
import Symbolic

/// `extrema_on_interval`: the largest and smallest values of f on [a, b] and where they are
/// reached, for f a polynomial or a quotient of polynomials (degree ≤ 20) defined on all of
/// [a, b]. The textbook method: f', its zeros inside (a, b), then f at those zeros and at a
/// and b, compared. Every value is exact (rational, or u + v√m at a root of a quadratic factor
/// of f's numerator); where a critical point has no such form the problem is refused.
public struct ExtremaOnIntervalSolver: Solver {
    public static let code = "extrema_on_interval"
    public static let maxDegree = 20

    struct Input: Decodable {
        let function: String?
        let variable: String?
        let lower: ExactNumberField?
        let upper: ExactNumberField?
        let digits: Int?
    }

    struct Parsed {
        let numerator: Polynomial
        let denominator: Polynomial
        let variable: String
        let lower: Rational
        let upper: Rational
        let digits: Int
        let function: Expr
    }

    public struct Candidate: Encodable, Sendable {
        let x: String
        let xLatex: String
        let value: String
        let valueLatex: String
        let decimal: String
        let kind: String

        enum CodingKeys: String, CodingKey {
            case x, value, decimal, kind
            case xLatex = "x_latex"
            case valueLatex = "value_latex"
        }
    }

    public struct Extremum: Encodable, Sendable {
        let value: String
        let latex: String
        let decimal: String
        let at: [String]
    }

    public struct Result: Encodable, Sendable {
        let function: String
        let variable: String
        let lower: String
        let upper: String
        let derivative: String
        let derivativeLatex: String
        let max: Extremum
        let min: Extremum
        let candidates: [Candidate]
        let result: String
        let latex: String
        let exact: Bool
        let digits: Int
        let steps: [SolutionStep]

        enum CodingKeys: String, CodingKey {
            case function, variable, lower, upper, derivative, max, min, candidates, result, latex, exact, digits, steps
            case derivativeLatex = "derivative_latex"
        }
    }

    public init() {}

    public func validate(json: Data) throws(SolveError) {
        _ = try parse(json)
    }

    func parse(_ json: Data) throws(SolveError) -> Parsed {
        let input = try CalculusInput.decode(Input.self, json, shape: #"{"function": "x^3 - 3x", "lower": 0, "upper": 2}"#)
        let variable = try CalculusInput.variable(input.variable)
        let digits = try CalculusInput.digits(input.digits)
        let f = try CalculusInput.parseExpression(input.function, field: "function", variable: variable)
        guard let lowerField = input.lower else { throw .invalid("lower", vi: "Thiếu cận dưới.", en: "The lower end is missing.") }
        guard let upperField = input.upper else { throw .invalid("upper", vi: "Thiếu cận trên.", en: "The upper end is missing.") }
        let lower = try lowerField.value(field: "lower"), upper = try upperField.value(field: "upper")
        guard lower < upper else { throw .invalid("upper", vi: "Cận trên phải lớn hơn cận dưới.", en: "The upper end must be greater than the lower end.") }
        guard let rational = RationalFunction.from(f, variable, maxDegree: Self.maxDegree) else {
            throw .invalid(
                "function",
                vi: "Hiện chỉ tìm giá trị lớn nhất, nhỏ nhất của đa thức và phân thức theo \(variable) (bậc không quá \(Self.maxDegree)).",
                en: "Only polynomials and quotients of polynomials in \(variable) (degree at most \(Self.maxDegree)) are handled for now."
            )
        }
        let reduced = rational.reduced
        // f must be defined on all of [a, b]: no zero of the denominator there (ends included).
        if reduced.denominator.degree >= 1, let isolation = RealRootIsolation(rational.denominator) {
            let inside = isolation.count(in: lower, upper) + (rational.denominator.evaluate(lower).isZero ? 1 : 0)
            if inside > 0 {
                throw .invalid("function", vi: "Hàm số không xác định tại một điểm của đoạn [a; b] (mẫu bằng 0).", en: "The function is undefined at a point of [a, b] (its denominator vanishes).")
            }
        }
        return Parsed(numerator: reduced.numerator, denominator: reduced.denominator, variable: variable, lower: lower, upper: upper, digits: digits, function: f)
    }

    public func solve(json: Data, deadline: Deadline) throws(SolveError) -> Result {
        let parsed = try parse(json)
        let x = parsed.variable
        let n = parsed.numerator, d = parsed.denominator
        // f' = (N'D − ND')/D²; its zeros are those of M = N'D − ND' (D ≠ 0 on [a, b]).
        let m = n.derivative * d - n * d.derivative
        let derivativeLatex = d.degree >= 1
            ? "\\frac{\(PolynomialText.string(m, variable: x, latex: true))}{\\left(\(PolynomialText.string(d, variable: x, latex: true))\\right)^{2}}"
            : PolynomialText.string(m.scaled(.one / (d.leading * d.leading)), variable: x, latex: true)
        let derivativeText = d.degree >= 1
            ? "(\(PolynomialText.string(m, variable: x, latex: false)))/(\(PolynomialText.string(d, variable: x, latex: false)))^2"
            : PolynomialText.string(m.scaled(.one / (d.leading * d.leading)), variable: x, latex: false)

        var critical: [QuadraticFieldNumber] = []
        do {
            critical = try Self.criticalPoints(m, inside: parsed.lower, parsed.upper, deadline: deadline)
        } catch let error as SolveError {
            throw error
        } catch {
            throw .timeout
        }
        critical = critical.filter { $0.compare(to: parsed.lower) > 0 && $0.compare(to: parsed.upper) < 0 }
        critical.sort { Self.less($0, $1) }

        func value(at point: QuadraticFieldNumber) throws(SolveError) -> QuadraticFieldNumber {
            guard let inverse = point.evaluate(d).inverse() else {
                throw SolveError(code: "internal_error", vi: "Mẫu bằng 0 tại điểm tới hạn.", en: "The denominator vanished at a critical point.")
            }
            return point.evaluate(n) * inverse
        }
        var points: [(x: QuadraticFieldNumber, value: QuadraticFieldNumber, kind: String)] = []
        points.append((QuadraticFieldNumber(parsed.lower), try value(at: QuadraticFieldNumber(parsed.lower)), "endpoint"))
        for point in critical { points.append((point, try value(at: point), "critical")) }
        points.append((QuadraticFieldNumber(parsed.upper), try value(at: QuadraticFieldNumber(parsed.upper)), "endpoint"))

        // Order the values: exactly equal ones tie; others by 40 places (refused if that cannot tell).
        var largest = points[0].value, smallest = points[0].value
        for point in points.dropFirst() {
            if try Self.order(point.value, largest) > 0 { largest = point.value }
            if try Self.order(point.value, smallest) < 0 { smallest = point.value }
        }
        let candidates = points.map { point in
            Candidate(
                x: point.x.text.ascii, xLatex: point.x.text.latex, value: point.value.text.ascii, valueLatex: point.value.text.latex,
                decimal: point.value.decimal(digits: parsed.digits), kind: point.kind
            )
        }
        func extremum(_ target: QuadraticFieldNumber) -> Extremum {
            let at = points.filter { $0.value == target }.map(\.x.text.ascii)
            return Extremum(value: target.text.ascii, latex: target.text.latex, decimal: target.decimal(digits: parsed.digits), at: at)
        }
        let maximum = extremum(largest), minimum = extremum(smallest)
        let interval = "\\left[\(Expr.number(parsed.lower).latex);\\ \(Expr.number(parsed.upper).latex)\\right]"
        let maxAt = points.filter { $0.value == largest }.map(\.x.text.latex).joined(separator: ",\\ ")
        let minAt = points.filter { $0.value == smallest }.map(\.x.text.latex).joined(separator: ",\\ ")
        let latex = "\\max_{\(interval)} f(\(x)) = \(maximum.latex) \\ (\(x) = \(maxAt)),\\quad \\min_{\(interval)} f(\(x)) = \(minimum.latex) \\ (\(x) = \(minAt))"

        var steps = [
            SolutionStep(
                vi: "Hàm số liên tục trên đoạn [\(Expr.number(parsed.lower).ascii); \(Expr.number(parsed.upper).ascii)]. Tính đạo hàm.",
                en: "The function is continuous on [\(Expr.number(parsed.lower).ascii), \(Expr.number(parsed.upper).ascii)]. Differentiate.",
                latex: "f'(\(x)) = \(derivativeLatex)"
            ),
            SolutionStep(
                vi: critical.isEmpty ? "f'(\(x)) không có nghiệm nào trong khoảng (a; b)." : "Giải f'(\(x)) = 0 và giữ các nghiệm thuộc khoảng (a; b).",
                en: critical.isEmpty ? "f'(\(x)) has no zero inside (a, b)." : "Solve f'(\(x)) = 0 and keep the zeros inside (a, b).",
                latex: critical.isEmpty ? nil : "f'(\(x)) = 0,\\ \(x) \\in (a;\\ b) \\iff \(x) \\in \\left\\{" + critical.map(\.text.latex).joined(separator: ";\\ ") + "\\right\\}"
            ),
            SolutionStep(
                vi: "Tính giá trị của hàm số tại hai đầu mút và tại các điểm vừa tìm.", en: "Evaluate the function at both ends and at those points.",
                latex: points.map { "f\\left(\($0.x.text.latex)\\right) = \($0.value.text.latex)" }.joined(separator: ",\\quad ")
            ),
        ]
        steps.append(SolutionStep(vi: "So sánh các giá trị trên:", en: "Compare these values:", latex: latex))
        return Result(
            function: PolynomialText.string(n, variable: x, latex: false) + (d.degree >= 1 ? " / (\(PolynomialText.string(d, variable: x, latex: false)))" : ""),
            variable: x, lower: Expr.number(parsed.lower).ascii, upper: Expr.number(parsed.upper).ascii,
            derivative: derivativeText, derivativeLatex: derivativeLatex, max: maximum, min: minimum, candidates: candidates,
            result: "max = \(maximum.value), min = \(minimum.value)", latex: latex, exact: true, digits: parsed.digits, steps: steps
        )
    }

    /// The real zeros of M that are rational or roots of a quadratic factor; a zero of any
    /// other kind (an irreducible cubic factor, say) inside (a, b) cannot be written exactly
    /// here: refused. Such zeros outside the interval do not matter.
    static func criticalPoints(_ m: Polynomial, inside a: Rational, _ b: Rational, deadline: Deadline) throws -> [QuadraticFieldNumber] {
        guard m.degree >= 1 else { return [] }
        var result: [QuadraticFieldNumber] = []
        for (part, _) in m.squareFreeFactors {
            try deadline.check()
            var rest = part
            for value in try RationalRootTest.allRoots(of: part, deadline: deadline) {
                result.append(QuadraticFieldNumber(value))
                rest = rest.divided(by: Polynomial([-value, .one])).quotient
            }
            guard rest.degree >= 1 else { continue }
            var quadratics: [Polynomial] = []
            if rest.degree == 2 {
                quadratics = [rest]
            } else if let split = PolynomialFactorizer.factor(rest), split.factors.allSatisfy({ $0.polynomial.degree == 2 }) {
                quadratics = split.factors.map(\.polynomial)
            } else if let isolation = RealRootIsolation(rest), isolation.count(in: a, b) - (rest.evaluate(b).isZero ? 1 : 0) == 0 {
                continue  // no zero of this factor inside (a, b): nothing to compare
            } else {
                throw SolveError(
                    code: "unsupported",
                    vi: "Đạo hàm có nghiệm không biểu diễn được chính xác bằng căn bậc hai.",
                    en: "The derivative has a zero with no exact square-root form."
                )
            }
            for quadratic in quadratics { result += try QuadraticFieldNumber.roots(ofQuadratic: quadratic) }
        }
        return result
    }

    static func less(_ a: QuadraticFieldNumber, _ b: QuadraticFieldNumber) -> Bool {
        (try? order(a, b)) ?? 0 < 0
    }

    /// The sign of a − b: exact for equal numbers and within one field, else by 40 places.
    static func order(_ a: QuadraticFieldNumber, _ b: QuadraticFieldNumber) throws(SolveError) -> Int {
        if a == b { return 0 }
        if a.m == b.m || a.isRational || b.isRational {
            let difference = a + QuadraticFieldNumber(-b.u, -b.v, m: b.m)
            return difference.compare(to: .zero)
        }
        guard let x = try? ExactNumberParser.parse(a.decimal(digits: 40)), let y = try? ExactNumberParser.parse(b.decimal(digits: 40)), x != y else {
            throw SolveError(code: "unsupported", vi: "Hai giá trị quá gần nhau để so sánh chắc chắn.", en: "Two values are too close to compare with certainty.")
        }
        return x < y ? -1 : 1
    }
}
