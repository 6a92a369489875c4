import ExactMath
import Foundation
import Bilingual

/// `quadratic_equation`: a·x² + b·x + c = 0 over the rationals, every case, exactly.
///
/// Real irrational roots come out as simplified surds `(p ± q*sqrt(m))/r` (m square-free up to
/// `Surd.trialDivisionBound`), complex roots as `re ± im*I`, and decimals are derived from the
/// exact values to the requested number of digits.
public struct QuadraticSolver: Solver {
    public static let code = "quadratic_equation"
    public static let defaultDigits = 15

    public init() {}

    struct Input: Decodable {
        let a: ExactNumberField?
        let b: ExactNumberField?
        let c: ExactNumberField?
        let equation: String?
        let digits: Int?
    }

    public struct Result: Encodable, Sendable, Equatable {
        public var kind: String
        public var variable: String
        public var equation: String
        public var equationLatex: String
        public var discriminant: String?
        public var roots: [String]
        public var rootsLatex: [String]
        public var rootsDecimal: [String]
        public var digits: Int
        public var steps: [SolutionStep]

        enum CodingKeys: String, CodingKey {
            case kind, variable, equation, discriminant, roots, digits, steps
            case equationLatex = "equation_latex"
            case rootsLatex = "roots_latex"
            case rootsDecimal = "roots_decimal"
        }
    }

    /// The validated input: exact coefficients, the variable's name, the digits asked for.
    public struct Parsed: Sendable, Equatable {
        public var a: Rational
        public var b: Rational
        public var c: Rational
        public var variable: String
        public var digits: Int
    }

    /// Decodes the JSON input and solves it.
    public func solve(json: Data, deadline: Deadline) throws(SolveError) -> Result {
        let parsed = try parse(json: json)
        do {
            return try solve(a: parsed.a, b: parsed.b, c: parsed.c, variable: parsed.variable, digits: parsed.digits, deadline: deadline)
        } catch {
            throw .timeout
        }
    }

    public func validate(json: Data) throws(SolveError) { _ = try parse(json: json) }

    /// Checks the input without solving (the API's 422 before any money moves).
    public func parse(json: Data) throws(SolveError) -> Parsed {
        let input: Input
        do {
            input = try JSONDecoder().decode(Input.self, from: json)
        } catch {
            throw .invalid("input", vi: "Đầu vào phải là {a, b, c} hoặc {equation}.", en: "The input must be {a, b, c} or {equation}.")
        }
        let digits = input.digits ?? Self.defaultDigits
        guard (0...DecimalApproximation.maxDigits).contains(digits) else {
            throw .invalid("digits", vi: "digits phải từ 0 đến \(DecimalApproximation.maxDigits).", en: "digits must be between 0 and \(DecimalApproximation.maxDigits).")
        }
        let a: Rational, b: Rational, c: Rational, variable: String
        if let equation = input.equation {
            guard input.a == nil, input.b == nil, input.c == nil else {
                throw .invalid("equation", vi: "Chỉ gửi equation hoặc a, b, c, không gửi cả hai.", en: "Send either equation or a, b, c, not both.")
            }
            let parsed = try PolynomialEquationParser.parse(equation)
            (c, b, a) = (parsed.coefficients[0], parsed.coefficients[1], parsed.coefficients[2])
            variable = parsed.variable
        } else {
            guard let fa = input.a else { throw .invalid("a", vi: "Thiếu hệ số a.", en: "The coefficient a is missing.") }
            guard let fb = input.b else { throw .invalid("b", vi: "Thiếu hệ số b.", en: "The coefficient b is missing.") }
            guard let fc = input.c else { throw .invalid("c", vi: "Thiếu hệ số c.", en: "The coefficient c is missing.") }
            (a, b, c) = (try fa.value(field: "a"), try fb.value(field: "b"), try fc.value(field: "c"))
            variable = "x"
        }
        return Parsed(a: a, b: b, c: c, variable: variable, digits: digits)
    }

    public func solve(a: Rational, b: Rational, c: Rational, variable: String = "x", digits: Int = defaultDigits, deadline: Deadline) throws(DeadlineExceeded) -> Result {
        // Every text is written into one reused buffer (TextBuilder): building them with `+` and
        // interpolation was over half of a solve.
        var text = TextBuilder()
        PolynomialText.write([c, b, a], variable: variable, latex: false, into: &text)
        text.write(" = 0")
        let equation = text.take()
        PolynomialText.write([c, b, a], variable: variable, latex: true, into: &text)
        text.write(" = 0")
        let equationLatex = text.take()
        var steps: [SolutionStep] = []
        steps.reserveCapacity(4)
        let form = text.sentences { text, vietnamese in
            text.write(vietnamese ? "Đưa phương trình về dạng a" : "Write the equation as a")
            text.write(string: variable)
            text.write("² + b")
            text.write(string: variable)
            text.write(vietnamese ? " + c = 0 với a = " : " + c = 0 with a = ")
            text.write(a)
            text.write(", b = ")
            text.write(b)
            text.write(", c = ")
            text.write(c)
            text.write(".")
        }
        steps.append(SolutionStep(vi: form.vi, en: form.en, latex: equationLatex))
        func result(_ kind: String, discriminant: String? = nil, roots: [String] = [], latex: [String] = [], decimals: [String] = []) -> Result {
            Result(
                kind: kind, variable: variable, equation: equation, equationLatex: equationLatex,
                discriminant: discriminant, roots: roots, rootsLatex: latex, rootsDecimal: decimals,
                digits: digits, steps: steps
            )
        }

        guard !a.isZero else {
            guard !b.isZero else {
                if c.isZero {
                    steps.append(SolutionStep(vi: "a = b = c = 0: mọi số đều là nghiệm.", en: "a = b = c = 0: every number is a solution.", latex: "0 = 0"))
                    return result("all")
                }
                steps.append(SolutionStep(vi: "a = b = 0 nhưng c = \(c) ≠ 0: phương trình vô nghiệm.", en: "a = b = 0 but c = \(c) ≠ 0: there is no solution.", latex: "\(c.latex) = 0"))
                return result("none")
            }
            let root = -c / b
            // The equation as written above without its zero x² term ("7/2*x - 5 = 0", never "+ -5").
            let linear = text.sentences { text, vietnamese in
                text.write(vietnamese ? "a = 0 nên đây là phương trình bậc nhất " : "a = 0, so this is the linear equation ")
                text.write(string: equation)
                text.write(vietnamese ? ", nghiệm " : " with solution ")
                text.write(string: variable)
                text.write(" = -c/b = ")
                text.write(root)
                text.write(".")
            }
            steps.append(SolutionStep(vi: linear.vi, en: linear.en, latex: "\(variable) = -\\frac{c}{b} = \(root.latex)"))
            return result("linear", roots: [root.description], latex: [root.latex], decimals: [DecimalApproximation.of(root, digits: digits)])
        }

        let discriminant = b * b - Rational(4) * a * c
        text.write(discriminant)
        let discriminantText = text.take()
        let expansion = text.sentences { text, vietnamese in
            text.write(vietnamese ? "Tính biệt thức Δ = b² − 4ac = (" : "Compute the discriminant Δ = b² − 4ac = (")
            text.write(b)
            text.write(")² − 4·(")
            text.write(a)
            text.write(")·(")
            text.write(c)
            text.write(") = ")
            text.write(string: discriminantText)
            text.write(".")
        }
        text.write("\\Delta = b^2 - 4ac = ")
        text.writeLatex(discriminant)
        steps.append(SolutionStep(vi: expansion.vi, en: expansion.en, latex: text.take()))
        let twoA = Rational(2) * a
        let realPart = -b / twoA

        if discriminant.isZero {
            let double = text.sentences { text, vietnamese in
                text.write(vietnamese ? "Δ = 0: phương trình có nghiệm kép " : "Δ = 0: the equation has a double root ")
                text.write(string: variable)
                text.write(" = −b/(2a) = ")
                text.write(realPart)
                text.write(".")
            }
            text.write(string: variable)
            text.write("_1 = ")
            text.write(string: variable)
            text.write("_2 = -\\frac{b}{2a} = ")
            text.writeLatex(realPart)
            steps.append(SolutionStep(vi: double.vi, en: double.en, latex: text.take()))
            text.write(realPart)
            let root = text.take()
            text.writeLatex(realPart)
            return result("double", discriminant: discriminantText, roots: [root], latex: [text.take()], decimals: [DecimalApproximation.of(realPart, digits: digits)])
        }

        // √|Δ| = √(N/D) = √(N·D)/D = k·√m / D with N·D = k²·m.
        let magnitude = discriminant.signum < 0 ? -discriminant : discriminant
        let (k, m) = try Surd.extractSquares(magnitude.numerator * magnitude.denominator, deadline: deadline)
        let rootOfDelta = Rational(k, magnitude.denominator)  // coefficient of √m
        // ± part: rootOfDelta·√m / (2a); write as q·√m / r in lowest terms with r > 0.
        let spread = rootOfDelta / twoA
        let spreadAbs = spread.signum < 0 ? -spread : spread
        let simplified = text.sentences { text, vietnamese in
            text.write(vietnamese ? "Rút gọn căn: √|Δ| = " : "Simplify the root: √|Δ| = ")
            if m == .one || rootOfDelta != .one { text.write(rootOfDelta) }
            if m != .one {
                text.write(rootOfDelta == .one ? "√" : "·√")
                text.write(m)
            }
            text.write(".")
        }
        text.write("\\sqrt{|\\Delta|} = ")
        SurdText.writeLatexTerm(coefficient: rootOfDelta, radicand: m, into: &text)
        steps.append(SolutionStep(vi: simplified.vi, en: simplified.en, latex: text.take()))

        if discriminant.signum > 0 {
            if m == .one {
                let roots = [realPart - spreadAbs, realPart + spreadAbs]
                let texts = roots.map { root in
                    text.write(root)
                    return text.take()
                }
                let formula = rootFormula(&text, variable, texts, vi: "Δ > 0 và là bình phương: hai nghiệm hữu tỉ ", en: "Δ > 0 and a perfect square: two rational roots ")
                steps.append(SolutionStep(vi: formula.vi, en: formula.en, latex: realRootsLatex(&text, variable)))
                let latex = roots.map { root in
                    text.writeLatex(root)
                    return text.take()
                }
                return result(
                    "two_real", discriminant: discriminantText, roots: texts, latex: latex,
                    decimals: roots.map { DecimalApproximation.of($0, digits: digits) }
                )
            }
            let surd = SurdText(real: realPart, coefficient: spreadAbs, radicand: m)
            let roots = [-1, 1].map { sign in
                surd.writeASCII(sign: sign, into: &text)
                return text.take()
            }
            let formula = rootFormula(&text, variable, roots, vi: "Δ > 0: hai nghiệm thực phân biệt ", en: "Δ > 0: two distinct real roots ")
            steps.append(SolutionStep(vi: formula.vi, en: formula.en, latex: realRootsLatex(&text, variable)))
            let latex = [-1, 1].map { sign in
                surd.writeLatex(sign: sign, into: &text)
                return text.take()
            }
            return result(
                "two_real", discriminant: discriminantText, roots: roots, latex: latex,
                decimals: surd.decimals(digits: digits)
            )
        }

        let complex = ComplexText(real: realPart, imaginaryCoefficient: spreadAbs, radicand: m)
        let roots = [-1, 1].map { sign in
            complex.writeASCII(sign: sign, into: &text)
            return text.take()
        }
        let conjugates = text.sentences { text, vietnamese in
            text.write(vietnamese ? "Δ < 0: không có nghiệm thực; hai nghiệm phức liên hợp " : "Δ < 0: no real roots; two complex conjugate roots ")
            text.write(string: variable)
            text.write(" = (−b ± i√|Δ|)/(2a): ")
            text.write(string: roots[0])
            text.write(vietnamese ? " và " : " and ")
            text.write(string: roots[1])
            text.write(".")
        }
        text.write(string: variable)
        text.write("_{1,2} = \\frac{-b \\pm i\\sqrt{|\\Delta|}}{2a}")
        steps.append(SolutionStep(vi: conjugates.vi, en: conjugates.en, latex: text.take()))
        let latex = [-1, 1].map { sign in
            complex.writeLatex(sign: sign, into: &text)
            return text.take()
        }
        return result(
            "complex", discriminant: discriminantText, roots: roots, latex: latex,
            decimals: [complex.decimal(sign: -1, digits: digits), complex.decimal(sign: 1, digits: digits)]
        )
    }

    /// "<opening>x = (−b ± √Δ)/(2a): x₁ = …, x₂ = …." in both languages.
    private func rootFormula(
        _ text: inout TextBuilder, _ variable: String, _ roots: [String], vi: StaticString, en: StaticString
    ) -> (vi: String, en: String) {
        text.sentences { text, vietnamese in
            text.write(vietnamese ? vi : en)
            text.write(string: variable)
            text.write(" = (−b ± √Δ)/(2a): ")
            text.write(string: variable)
            text.write("₁ = ")
            text.write(string: roots[0])
            text.write(", ")
            text.write(string: variable)
            text.write("₂ = ")
            text.write(string: roots[1])
            text.write(".")
        }
    }

    /// x_{1,2} = \frac{-b \pm \sqrt{\Delta}}{2a}
    private func realRootsLatex(_ text: inout TextBuilder, _ variable: String) -> String {
        text.write(string: variable)
        text.write("_{1,2} = \\frac{-b \\pm \\sqrt{\\Delta}}{2a}")
        return text.take()
    }
}
