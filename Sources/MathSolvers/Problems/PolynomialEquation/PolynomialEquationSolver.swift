import ExactMath
import Foundation
import Symbolic

/// `polynomial_equation`: P(x) = Q(x) with both sides polynomials of degree at most 20 and
/// rational (or exact decimal) coefficients. The roots come from `PolynomialRootFinder`:
/// exact where a closed form is found, certified decimals (`exact: false`) otherwise, with
/// multiplicities; non-real roots are listed apart, or in the set when `domain` is `complex`.
public struct PolynomialEquationSolver: Solver {
    public static let code = "polynomial_equation"
    public static let maxDegree = 20

    struct Input: Decodable {
        let equation: String?
        let variable: String?
        let domain: String?
        let digits: Int?
    }

    struct Parsed {
        let polynomial: Polynomial
        let variable: String
        let complexDomain: Bool
        let digits: Int
        let equation: String
    }

    public struct Root: Encodable, Sendable {
        let value: String
        let latex: String
        let decimal: String
        let multiplicity: Int
        let exact: Bool
    }

    public struct Result: Encodable, Sendable {
        let variable: String
        let equation: String
        let equationLatex: String
        let degree: Int
        let domain: String
        let exact: Bool
        let solutionSet: SolutionSet
        let roots: [Root]
        let complexRoots: [String]
        let complexRootsLatex: [String]
        let unlistedComplexRoots: Int
        let factored: String
        let digits: Int
        let steps: [SolutionStep]

        enum CodingKeys: String, CodingKey {
            case variable, equation, degree, domain, exact, roots, factored, digits, steps
            case equationLatex = "equation_latex"
            case solutionSet = "solution_set"
            case complexRoots = "complex_roots"
            case complexRootsLatex = "complex_roots_latex"
            case unlistedComplexRoots = "unlisted_complex_roots"
        }
    }

    public init() {}

    public func validate(json: Data) throws(SolveError) {
        _ = try parse(json)
    }

    func parse(_ json: Data) throws(SolveError) -> Parsed {
        let input = try CalculusInput.decode(Input.self, json, shape: #"{"equation": "x^3 - 6x^2 + 11x - 6 = 0"}"#)
        let variable = try CalculusInput.variable(input.variable)
        let digits = try CalculusInput.digits(input.digits)
        let complexDomain: Bool
        switch input.domain ?? "real" {
        case "real": complexDomain = false
        case "complex": complexDomain = true
        default: throw .invalid("domain", vi: "domain là real hoặc complex.", en: "domain is real or complex.")
        }
        guard let text = input.equation else { throw .invalid("equation", vi: "Thiếu phương trình.", en: "The equation is missing.") }
        // Sums of monomials (what most homework is) take the quadratic's linear-time reader; any
        // other shape (products, powers of sums, fractions of x) goes through the full parser.
        if text.count <= CalculusInput.maxExpressionLength, let fast = try? PolynomialEquationParser.parse(text, maxDegree: Self.maxDegree),
           fast.variable == variable || fast.coefficients.dropFirst().allSatisfy(\.isZero) {
            return Parsed(polynomial: Polynomial(fast.coefficients), variable: variable, complexDomain: complexDomain, digits: digits, equation: text)
        }
        let sides = EquationSides(text)
        guard let (leftText, rightText) = sides.split else {
            throw .invalid("equation", vi: "Phương trình cần đúng một dấu '='.", en: "An equation needs exactly one '='.")
        }
        let left = try CalculusInput.parseExpression(leftText, field: "equation", variable: variable)
        let right = try CalculusInput.parseExpression(rightText, field: "equation", variable: variable)
        guard let p = Polynomial.from(left - right, variable, maxDegree: Self.maxDegree) else {
            throw .invalid(
                "equation",
                vi: "Hai vế phải là đa thức theo \(variable), bậc không quá \(Self.maxDegree).",
                en: "Both sides must be polynomials in \(variable) of degree at most \(Self.maxDegree)."
            )
        }
        return Parsed(polynomial: p, variable: variable, complexDomain: complexDomain, digits: digits, equation: text)
    }

    public func solve(json: Data, deadline: Deadline) throws(SolveError) -> Result {
        let parsed = try parse(json)
        let p = parsed.polynomial
        let x = parsed.variable
        let equationLatex = "\(PolynomialText.string(p, variable: x, latex: true)) = 0"
        var steps = [SolutionStep(
            vi: "Chuyển mọi hạng tử sang vế trái: phương trình bậc \(max(p.degree, 0)).",
            en: "Move every term to the left-hand side: an equation of degree \(max(p.degree, 0)).",
            latex: equationLatex
        )]
        func result(_ set: SolutionSet, finder: PolynomialRootFinder? = nil, factored: String = "") -> Result {
            let real = finder?.real ?? []
            let complex = finder?.complex ?? []
            let exact = real.allSatisfy { $0.exact != nil }
            return Result(
                variable: x, equation: parsed.equation, equationLatex: equationLatex, degree: max(p.degree, 0),
                domain: parsed.complexDomain ? "complex" : "real", exact: exact, solutionSet: set,
                roots: real.map { Root(value: $0.text, latex: $0.latex, decimal: $0.decimal, multiplicity: $0.multiplicity, exact: $0.exact != nil) },
                complexRoots: complex.map(\.text), complexRootsLatex: complex.map(\.latex),
                unlistedComplexRoots: finder?.unlistedComplexRoots ?? 0, factored: factored, digits: parsed.digits, steps: steps
            )
        }
        if p.isZero {
            steps.append(SolutionStep(vi: "Vế trái đồng nhất bằng 0: mọi số thực đều là nghiệm.", en: "The left-hand side is identically 0: every real number is a solution."))
            return result(.allReals)
        }
        if p.degree == 0 {
            steps.append(SolutionStep(vi: "Vế trái là hằng số khác 0: phương trình vô nghiệm.", en: "The left-hand side is a non-zero constant: no solution."))
            return result(.empty)
        }
        let finder = try PolynomialRootFinder(p, digits: parsed.digits, deadline: deadline)
        try verify(finder, p, variable: x)
        if parsed.complexDomain, finder.unlistedComplexRoots > 0 {
            throw SolveError(
                code: "unsupported",
                vi: "Chưa tìm được dạng chính xác cho các nghiệm phức của một nhân tử bậc cao.",
                en: "The complex roots of a higher-degree factor have no closed form the engine can give yet."
            )
        }
        let factored = PolynomialEquationSteps.factored(finder, polynomial: p, variable: x)
        steps += PolynomialEquationSteps.steps(finder, polynomial: p, variable: x, factored: factored)
        var points = finder.real.map(\.text)
        if parsed.complexDomain { points += finder.complex.map(\.text) }
        steps.append(PolynomialEquationSteps.conclusion(finder, complexDomain: parsed.complexDomain))
        return result(.finite(points), finder: finder, factored: factored.ascii)
    }

    /// A safety net under the closed forms: every exact root must make P vanish numerically.
    /// A formula slip becomes a refusal, never a wrong answer.
    private func verify(_ finder: PolynomialRootFinder, _ p: Polynomial, variable: String) throws(SolveError) {
        let scale = p.coefficients.map { abs($0.doubleValue) }.max() ?? 1
        for root in finder.real {
            let value = root.approximate
            guard root.exact != nil, value.isFinite else { continue }
            let magnitude = p.coefficients.enumerated().map { abs($0.element.doubleValue) * pow(abs(value), Double($0.offset)) }.reduce(0, +)
            if abs(p.evaluate(value)) > 1e-6 * max(magnitude, scale) {
                throw SolveError(code: "internal_error", vi: "Kiểm tra nghiệm không thành công.", en: "A root failed its check.")
            }
        }
    }
}

/// The two sides of an equation typed with one `=`.
struct EquationSides {
    let split: (String, String)?

    init(_ text: String) {
        let parts = text.split(separator: "=", omittingEmptySubsequences: false)
        split = parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
    }
}
