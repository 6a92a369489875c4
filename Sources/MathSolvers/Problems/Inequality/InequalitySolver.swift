import ExactMath
import Foundation
import Symbolic

/// `inequality`: P(x)/Q(x) ⋚ R(x)/S(x) with polynomial and rational sides (degree ≤ 20). Every
/// term goes to the left, the critical points (zeros of the numerator, zeros of the denominator
/// excluded from the domain) come exactly from `PolynomialRootFinder`, and the sign on each
/// interval follows from the multiplicities alone: the sign towards +∞ is that of the leading
/// coefficients, and it flips across a point of odd total multiplicity. That sign chart (bảng
/// xét dấu) is a step and part of the result; the answer is a union of intervals.
public struct InequalitySolver: Solver {
    public static let code = "inequality"
    public static let maxDegree = 20

    struct Input: Decodable {
        let inequality: String?
        let variable: String?
        let digits: Int?
    }

    struct Parsed {
        let numerator: Polynomial
        let denominator: Polynomial
        let relation: InequalityRelation.Kind
        let variable: String
        let digits: Int
        let text: String
    }

    /// The bảng xét dấu: the critical points left to right, what f is at each (`0` or `||` where
    /// it is undefined), and the sign on each of the `points.count + 1` open intervals.
    public struct SignChart: Encodable, Sendable {
        let points: [String]
        let pointsLatex: [String]
        let values: [String]
        let signs: [String]
        let latex: String

        enum CodingKeys: String, CodingKey {
            case points, values, signs, latex
            case pointsLatex = "points_latex"
        }
    }

    public struct Result: Encodable, Sendable {
        let variable: String
        let inequality: String
        let inequalityLatex: String
        let relation: InequalityRelation.Kind
        let exact: Bool
        let solutionSet: SolutionSet
        let signChart: SignChart
        let excluded: [String]
        let digits: Int
        let steps: [SolutionStep]

        enum CodingKeys: String, CodingKey {
            case variable, inequality, relation, exact, excluded, digits, steps
            case inequalityLatex = "inequality_latex"
            case solutionSet = "solution_set"
            case signChart = "sign_chart"
        }
    }

    public init() {}

    public func validate(json: Data) throws(SolveError) {
        _ = try parse(json)
    }

    func parse(_ json: Data) throws(SolveError) -> Parsed {
        let input = try CalculusInput.decode(Input.self, json, shape: #"{"inequality": "(x - 1)/(x + 2) >= 0"}"#)
        let variable = try CalculusInput.variable(input.variable)
        let digits = try CalculusInput.digits(input.digits)
        guard let text = input.inequality else { throw .invalid("inequality", vi: "Thiếu bất phương trình.", en: "The inequality is missing.") }
        guard let relation = InequalityRelation(text) else {
            throw .invalid("inequality", vi: "Bất phương trình cần đúng một dấu <, ≤, > hoặc ≥ (và không có dấu =).", en: "An inequality needs exactly one of <, <=, >, >= (and no =).")
        }
        let left = try CalculusInput.parseExpression(relation.left, field: "inequality", variable: variable)
        let right = try CalculusInput.parseExpression(relation.right, field: "inequality", variable: variable)
        guard let f = RationalFunction.from(left - right, variable, maxDegree: Self.maxDegree) else {
            throw .invalid(
                "inequality",
                vi: "Hiện chỉ giải bất phương trình đa thức và phân thức theo \(variable) (bậc không quá \(Self.maxDegree)); căn, trị tuyệt đối, mũ và logarit chưa được hỗ trợ.",
                en: "Only polynomial and rational inequalities in \(variable) (degree at most \(Self.maxDegree)) are solved for now; roots, absolute values, exponentials and logarithms are not yet."
            )
        }
        return Parsed(numerator: f.numerator, denominator: f.denominator, relation: relation.kind, variable: variable, digits: digits, text: text)
    }

    /// A critical point: where the numerator or the denominator vanishes.
    struct CriticalPoint {
        let text: String
        let latex: String
        let exact: Bool
        let approximate: Double
        var numeratorMultiplicity = 0
        var denominatorMultiplicity = 0

        var isExcluded: Bool { denominatorMultiplicity > 0 }
    }

    public func solve(json: Data, deadline: Deadline) throws(SolveError) -> Result {
        let parsed = try parse(json)
        let x = parsed.variable
        let n = parsed.numerator, d = parsed.denominator
        let fLatex = d.degree >= 1
            ? "\\frac{\(PolynomialText.string(n, variable: x, latex: true))}{\(PolynomialText.string(d, variable: x, latex: true))}"
            : PolynomialText.string(n.scaled(.one / d.leading), variable: x, latex: true)
        let inequalityLatex = "\(fLatex) \(parsed.relation.latex) 0"
        var steps = [SolutionStep(
            vi: "Chuyển mọi hạng tử sang vế trái và quy đồng.", en: "Move every term to the left-hand side over a common denominator.",
            latex: inequalityLatex
        )]

        // Critical points from both polynomials, merged by value.
        var points: [CriticalPoint] = []
        func add(_ finder: PolynomialRootFinder, numerator: Bool) {
            for root in finder.real {
                if let index = points.firstIndex(where: { $0.text == root.text }) {
                    if numerator { points[index].numeratorMultiplicity += root.multiplicity } else { points[index].denominatorMultiplicity += root.multiplicity }
                } else {
                    var point = CriticalPoint(text: root.text, latex: root.latex, exact: root.exact != nil, approximate: root.approximate)
                    if numerator { point.numeratorMultiplicity = root.multiplicity } else { point.denominatorMultiplicity = root.multiplicity }
                    points.append(point)
                }
            }
        }
        let numeratorRoots = n.degree >= 1 ? try PolynomialRootFinder(n, digits: parsed.digits, deadline: deadline) : nil
        let denominatorRoots = d.degree >= 1 ? try PolynomialRootFinder(d, digits: parsed.digits, deadline: deadline) : nil
        if let numeratorRoots { add(numeratorRoots, numerator: true) }
        if let denominatorRoots { add(denominatorRoots, numerator: false) }
        points.sort { $0.approximate < $1.approximate }
        try checkSeparated(points)

        let excluded = points.filter(\.isExcluded)
        if !excluded.isEmpty {
            steps.append(SolutionStep(
                vi: "Điều kiện xác định: mẫu khác 0.", en: "Domain: the denominator is not 0.",
                latex: "\(PolynomialText.string(d, variable: x, latex: true)) \\ne 0 \\iff " + excluded.map { "\(x) \\ne \($0.latex)" }.joined(separator: ",\\ ")
            ))
        }
        let zeros = points.filter { !$0.isExcluded && $0.numeratorMultiplicity > 0 }
        if n.degree >= 1 {
            steps.append(SolutionStep(
                vi: zeros.isEmpty ? "Tử số không có nghiệm thực nào trong tập xác định." : "Tìm nghiệm của tử số.",
                en: zeros.isEmpty ? "The numerator has no real zero in the domain." : "Find the zeros of the numerator.",
                latex: zeros.isEmpty ? nil : "\(PolynomialText.string(n, variable: x, latex: true)) = 0 \\iff \(x) \\in \\left\\{" + zeros.map(\.latex).joined(separator: ";\\ ") + "\\right\\}"
            ))
        }

        // Signs from +∞ leftwards: flip across a point of odd total multiplicity.
        var signs = [Int](repeating: 0, count: points.count + 1)
        signs[points.count] = n.isZero ? 0 : (n.leading.signum * d.leading.signum)
        for index in stride(from: points.count - 1, through: 0, by: -1) {
            let total = points[index].numeratorMultiplicity + points[index].denominatorMultiplicity
            signs[index] = total % 2 == 1 ? -signs[index + 1] : signs[index + 1]
        }
        let chart = Self.signChart(points, signs: signs, variable: x)
        steps.append(SolutionStep(
            vi: "Lập bảng xét dấu: dấu bên phải nghiệm lớn nhất là dấu của tích các hệ số cao nhất, và đổi dấu khi qua một nghiệm bội lẻ.",
            en: "Draw the sign chart: right of the largest point the sign is that of the leading coefficients, and it changes across a point of odd multiplicity.",
            latex: chart.latex
        ))

        let set = Self.solutionSet(points, signs: signs, relation: parsed.relation)
        steps.append(SolutionStep(
            vi: "Kết luận: chọn các khoảng có dấu thỏa mãn \(parsed.relation.symbol) 0" + (parsed.relation.isStrict ? "." : ", thêm các nghiệm của tử số."),
            en: "Conclusion: take the intervals whose sign satisfies \(parsed.relation.symbol) 0" + (parsed.relation.isStrict ? "." : ", and the zeros of the numerator."),
            latex: Self.latex(set, points: points)
        ))
        return Result(
            variable: x, inequality: parsed.text, inequalityLatex: inequalityLatex, relation: parsed.relation,
            exact: points.allSatisfy(\.exact), solutionSet: set, signChart: chart, excluded: excluded.map(\.text),
            digits: parsed.digits, steps: steps
        )
    }

    /// Distinct critical points must be told apart by their approximations (sorted by them); two
    /// that a double cannot order are refused rather than risked.
    private func checkSeparated(_ points: [CriticalPoint]) throws(SolveError) {
        for (a, b) in zip(points, points.dropFirst()) where !(a.approximate < b.approximate) || abs(b.approximate - a.approximate) < 1e-9 * max(1, abs(a.approximate)) {
            throw SolveError(code: "unsupported", vi: "Hai điểm tới hạn quá gần nhau để sắp thứ tự chắc chắn.", en: "Two critical points are too close to be ordered with certainty.")
        }
    }

    static func signChart(_ points: [CriticalPoint], signs: [Int], variable x: String) -> SignChart {
        let values = points.map { $0.isExcluded ? "||" : "0" }
        let signText = signs.map { $0 > 0 ? "+" : ($0 < 0 ? "-" : "0") }
        var top = ["\(x)", "-\\infty"]
        var bottom = ["f(\(x))", ""]
        for (index, point) in points.enumerated() {
            top += ["", point.latex]
            bottom += [signText[index] == "-" ? "-" : signText[index], point.isExcluded ? "\\|" : "0"]
        }
        top += ["", "+\\infty"]
        bottom += [signText[points.count] == "-" ? "-" : signText[points.count], ""]
        let columns = String(repeating: "c", count: top.count - 1)
        let latex = "\\begin{array}{c|\(columns)} " + top.joined(separator: " & ") + " \\\\ \\hline " + bottom.joined(separator: " & ") + " \\end{array}"
        return SignChart(points: points.map(\.text), pointsLatex: points.map(\.latex), values: values, signs: signText, latex: latex)
    }

    /// The union of the intervals whose sign satisfies the relation; a zero of the numerator
    /// joins its neighbours (non-strict) or stands alone when neither neighbour is in.
    static func solutionSet(_ points: [CriticalPoint], signs: [Int], relation: InequalityRelation.Kind) -> SolutionSet {
        let segmentIn = signs.map { relation.holds(sign: $0) && $0 != 0 } // open intervals
        let pointIn = points.map { !$0.isExcluded && !relation.isStrict }
        // The zero polynomial: 0 ⋚ 0 everywhere in the domain.
        if signs.allSatisfy({ $0 == 0 }) {
            guard !relation.isStrict else { return .empty }
            return points.isEmpty ? .allReals : gaps(points)
        }
        var intervals: [SolutionSet.Interval] = []
        var isolated: [String] = []
        var openLower: (text: String, closed: Bool)?
        for index in 0...points.count {
            if segmentIn[index], openLower == nil {
                openLower = index == 0 ? ("-oo", false) : (points[index - 1].text, pointIn[index - 1])
            }
            guard index < points.count else { break }
            let point = points[index]
            if let lower = openLower {
                // The run continues across this point only if it is in and the next segment too.
                if pointIn[index], segmentIn[index + 1] { continue }
                intervals.append(.init(lower: lower.text, upper: point.text, lowerClosed: lower.closed, upperClosed: pointIn[index]))
                openLower = nil
            } else if pointIn[index], !segmentIn[index + 1] {
                isolated.append(point.text)
            }
        }
        if let lower = openLower {
            intervals.append(.init(lower: lower.text, upper: "oo", lowerClosed: lower.closed, upperClosed: false))
        }
        if intervals.isEmpty { return .finite(isolated) }
        if intervals.count == 1, intervals[0].lower == "-oo", intervals[0].upper == "oo", isolated.isEmpty { return .allReals }
        var set = SolutionSet(kind: .intervals)
        set.intervals = intervals
        set.points = isolated
        return set
    }

    /// ℝ without the excluded points, as open intervals.
    private static func gaps(_ points: [CriticalPoint]) -> SolutionSet {
        var set = SolutionSet(kind: .intervals)
        let ends = ["-oo"] + points.map(\.text) + ["oo"]
        set.intervals = zip(ends, ends.dropFirst()).map { .init(lower: $0, upper: $1, lowerClosed: false, upperClosed: false) }
        return set
    }

    static func latex(_ set: SolutionSet, points: [CriticalPoint]) -> String {
        let latexOf = Dictionary(points.map { ($0.text, $0.latex) }, uniquingKeysWith: { first, _ in first })
        func value(_ text: String) -> String {
            switch text {
            case "-oo": return "-\\infty"
            case "oo": return "+\\infty"
            default: return latexOf[text] ?? text
            }
        }
        switch set.kind {
        case .empty: return "S = \\varnothing"
        case .allReals: return "S = \\mathbb{R}"
        case .finite: return "S = \\left\\{" + set.points.map(value).joined(separator: ";\\ ") + "\\right\\}"
        case .families: return ""
        case .intervals:
            var parts = set.intervals.map { interval in
                (interval.lowerClosed ? "\\left[" : "\\left(") + value(interval.lower) + ";\\ " + value(interval.upper) + (interval.upperClosed ? "\\right]" : "\\right)")
            }
            if !set.points.isEmpty { parts.append("\\left\\{" + set.points.map(value).joined(separator: ";\\ ") + "\\right\\}") }
            return "S = " + parts.joined(separator: " \\cup ")
        }
    }
}
