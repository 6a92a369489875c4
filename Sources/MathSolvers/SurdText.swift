import ExactMath

/// Renders `real ± coefficient·√radicand` (radicand > 1 square-free, coefficient > 0) as
/// `(p ± q*sqrt(m))/r` with integers in lowest terms, in ASCII (parseable by any CAS),
/// LaTeX and decimal.
struct SurdText {
    let p: BigInt
    let q: BigInt
    let m: BigInt
    let r: BigInt
    // The pieces both roots share, rendered once.
    private let pText: String
    private let rText: String
    private let radicalASCII: String
    private let radicalLatex: String

    init(real: Rational, coefficient: Rational, radicand: BigInt) {
        let common = BigInt.lcm(real.denominator, coefficient.denominator)
        var p = real.numerator * common.dividedExactly(by: real.denominator)
        var q = coefficient.numerator * common.dividedExactly(by: coefficient.denominator)
        var r = common
        let divisor = BigInt.gcd(BigInt.gcd(p, q), r)
        p = p.dividedExactly(by: divisor)
        q = q.dividedExactly(by: divisor)
        r = r.dividedExactly(by: divisor)
        (self.p, self.q, self.m, self.r) = (p, q, radicand, r)
        let mText = radicand.description
        pText = p.description
        rText = r.description
        radicalASCII = q == .one ? "sqrt(" + mText + ")" : q.description + "*sqrt(" + mText + ")"
        radicalLatex = (q == .one ? "\\sqrt{" : q.description + "\\sqrt{") + mText + "}"
    }

    func ascii(sign: Int) -> String {
        let operation = sign < 0 ? " - " : " + "
        if p.isZero {
            let signed = sign < 0 ? "-" + radicalASCII : radicalASCII
            return r == .one ? signed : signed + "/" + rText
        }
        return r == .one ? pText + operation + radicalASCII : "(" + pText + operation + radicalASCII + ")/" + rText
    }

    func latex(sign: Int) -> String {
        let numerator = p.isZero ? (sign < 0 ? "-" + radicalLatex : radicalLatex) : pText + (sign < 0 ? " - " : " + ") + radicalLatex
        return r == .one ? numerator : "\\frac{" + numerator + "}{" + rText + "}"
    }

    func decimal(sign: Int, digits: Int) -> String {
        DecimalApproximation.ofSurd(p: p, q: sign < 0 ? -q : q, m: m, r: r, digits: digits)
    }

    /// LaTeX of a single term `coefficient·√radicand` (radicand may be 1).
    static func latexTerm(coefficient: Rational, radicand: BigInt) -> String {
        guard radicand != .one else { return coefficient.latex }
        let root = "\\sqrt{\(radicand)}"
        if coefficient == .one { return root }
        if coefficient.isInteger { return "\(coefficient.numerator)\(root)" }
        return "\\frac{\(coefficient.numerator == .one ? "" : coefficient.numerator.description)\(root)}{\(coefficient.denominator)}"
    }
}

/// Renders `real ± (coefficient·√radicand)·I` (coefficient > 0, radicand ≥ 1 square-free).
struct ComplexText {
    let real: Rational
    let coefficient: Rational
    let radicand: BigInt

    init(real: Rational, imaginaryCoefficient: Rational, radicand: BigInt) {
        self.real = real
        self.coefficient = imaginaryCoefficient
        self.radicand = radicand
    }

    private var imaginaryASCII: String {
        let top = coefficient.numerator
        let bottom = coefficient.denominator
        var factors: [String] = []
        if top != .one { factors.append(top.description) }
        if radicand != .one { factors.append("sqrt(\(radicand))") }
        factors.append("I")
        let product = factors.joined(separator: "*")
        return bottom == .one ? product : "\(product)/\(bottom)"
    }

    func ascii(sign: Int) -> String {
        if real.isZero { return (sign < 0 ? "-" : "") + imaginaryASCII }
        return "\(real) \(sign < 0 ? "-" : "+") \(imaginaryASCII)"
    }

    func latex(sign: Int) -> String {
        let imaginary = (coefficient == .one && radicand == .one ? "" : SurdText.latexTerm(coefficient: coefficient, radicand: radicand)) + "i"
        if real.isZero { return (sign < 0 ? "-" : "") + imaginary }
        return "\(real.latex) \(sign < 0 ? "-" : "+") \(imaginary)"
    }

    func decimal(sign: Int, digits: Int) -> String {
        let imaginary = radicand == .one
            ? DecimalApproximation.of(coefficient, digits: digits)
            : DecimalApproximation.ofSurd(p: .zero, q: coefficient.numerator, m: radicand, r: coefficient.denominator, digits: digits)
        let realText = DecimalApproximation.of(real, digits: digits)
        return "\(realText) \(sign < 0 ? "-" : "+") \(imaginary)*I"
    }
}

/// ASCII and LaTeX of a polynomial given by its coefficients (index = power), highest power first.
enum PolynomialText {
    /// Both forms in one pass (each number is rendered once where the two agree).
    static func render(_ coefficients: [Rational], variable: String) -> (ascii: String, latex: String) {
        var ascii = ""
        var latex = ""
        for power in coefficients.indices.reversed() where !coefficients[power].isZero {
            let value = coefficients[power]
            let magnitude = value.signum < 0 ? -value : value
            if ascii.isEmpty {
                if value.signum < 0 { ascii = "-"; latex = "-" }
            } else {
                let operation = value.signum < 0 ? " - " : " + "
                ascii += operation
                latex += operation
            }
            let numberASCII = magnitude.description
            let numberLatex = magnitude.isInteger ? numberASCII : magnitude.latex
            if power == 0 {
                ascii += numberASCII
                latex += numberLatex
                continue
            }
            if magnitude != .one {
                ascii += numberASCII
                ascii += "*"
                latex += numberLatex
            }
            ascii += variable
            latex += variable
            if power > 1 {
                let exponent = String(power)
                ascii += "^"
                ascii += exponent
                latex += "^{"
                latex += exponent
                latex += "}"
            }
        }
        return ascii.isEmpty ? ("0", "0") : (ascii, latex)
    }
}
