import ExactMath
import Symbolic

/// Writes `real ± coefficient·√radicand` (radicand > 1 square-free, coefficient > 0) as
/// `(p ± q*sqrt(m))/r` with integers in lowest terms, in ASCII (parseable by any CAS), LaTeX
/// and decimal.
struct SurdText {
    let p: BigInt
    let q: BigInt
    let m: BigInt
    let r: BigInt

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
    }

    func writeASCII(sign: Int, into text: inout TextBuilder) {
        if p.isZero {
            if sign < 0 { text.write("-") }
            writeRadicalASCII(into: &text)
            if r != .one {
                text.write("/")
                text.write(r)
            }
            return
        }
        if r != .one { text.write("(") }
        text.write(p)
        text.write(sign < 0 ? " - " : " + ")
        writeRadicalASCII(into: &text)
        if r != .one {
            text.write(")/")
            text.write(r)
        }
    }

    func writeLatex(sign: Int, into text: inout TextBuilder) {
        if r != .one { text.write("\\frac{") }
        if p.isZero {
            if sign < 0 { text.write("-") }
        } else {
            text.write(p)
            text.write(sign < 0 ? " - " : " + ")
        }
        if q != .one { text.write(q) }
        text.write("\\sqrt{")
        text.write(m)
        text.write("}")
        if r != .one {
            text.write("}{")
            text.write(r)
            text.write("}")
        }
    }

    private func writeRadicalASCII(into text: inout TextBuilder) {
        if q != .one {
            text.write(q)
            text.write("*")
        }
        text.write("sqrt(")
        text.write(m)
        text.write(")")
    }

    /// The decimals of the − and the + root.
    func decimals(digits: Int) -> [String] {
        let pair = DecimalApproximation.ofSurdPair(p: p, q: q, m: m, r: r, digits: digits)
        return [pair.minus, pair.plus]
    }

    /// LaTeX of a single term `coefficient·√radicand` (radicand may be 1).
    static func writeLatexTerm(coefficient: Rational, radicand: BigInt, into text: inout TextBuilder) {
        guard radicand != .one else { return text.writeLatex(coefficient) }
        if coefficient == .one { return writeRoot(radicand, into: &text) }
        if coefficient.isInteger {
            text.write(coefficient.numerator)
            return writeRoot(radicand, into: &text)
        }
        text.write("\\frac{")
        if coefficient.numerator != .one { text.write(coefficient.numerator) }
        writeRoot(radicand, into: &text)
        text.write("}{")
        text.write(coefficient.denominator)
        text.write("}")
    }

    private static func writeRoot(_ radicand: BigInt, into text: inout TextBuilder) {
        text.write("\\sqrt{")
        text.write(radicand)
        text.write("}")
    }
}

/// Writes `real ± (coefficient·√radicand)·I` (coefficient > 0, radicand ≥ 1 square-free).
struct ComplexText {
    let real: Rational
    let coefficient: Rational
    let radicand: BigInt

    init(real: Rational, imaginaryCoefficient: Rational, radicand: BigInt) {
        self.real = real
        self.coefficient = imaginaryCoefficient
        self.radicand = radicand
    }

    /// `[top*][sqrt(m)*]I[/bottom]`.
    private func writeImaginaryASCII(into text: inout TextBuilder) {
        if coefficient.numerator != .one {
            text.write(coefficient.numerator)
            text.write("*")
        }
        if radicand != .one {
            text.write("sqrt(")
            text.write(radicand)
            text.write(")*")
        }
        text.write("I")
        if coefficient.denominator != .one {
            text.write("/")
            text.write(coefficient.denominator)
        }
    }

    func writeASCII(sign: Int, into text: inout TextBuilder) {
        writeRealPart(sign: sign, latex: false, into: &text)
        writeImaginaryASCII(into: &text)
    }

    func writeLatex(sign: Int, into text: inout TextBuilder) {
        writeRealPart(sign: sign, latex: true, into: &text)
        if coefficient != .one || radicand != .one {
            SurdText.writeLatexTerm(coefficient: coefficient, radicand: radicand, into: &text)
        }
        text.write("i")
    }

    /// `re ± ` before the imaginary part, or just its sign when the real part is zero.
    private func writeRealPart(sign: Int, latex: Bool, into text: inout TextBuilder) {
        if real.isZero {
            if sign < 0 { text.write("-") }
            return
        }
        if latex { text.writeLatex(real) } else { text.write(real) }
        text.write(sign < 0 ? " - " : " + ")
    }

    func decimal(sign: Int, digits: Int) -> String {
        let imaginary = radicand == .one
            ? DecimalApproximation.of(coefficient, digits: digits)
            : DecimalApproximation.ofSurd(p: .zero, q: coefficient.numerator, m: radicand, r: coefficient.denominator, digits: digits)
        let realText = DecimalApproximation.of(real, digits: digits)
        return "\(realText) \(sign < 0 ? "-" : "+") \(imaginary)*I"
    }
}

/// ASCII or LaTeX of a polynomial given by its coefficients (index = power), highest power first.
enum PolynomialText {
    /// The polynomial as LaTeX (`2x^{3} - \frac{1}{2}x + 1`) or ASCII, highest power first.
    static func string(_ p: Polynomial, variable: String, latex: Bool) -> String {
        var text = TextBuilder(capacity: 64)
        write(p.coefficients, variable: variable, latex: latex, into: &text)
        return text.take()
    }

    static func write(_ coefficients: [Rational], variable: String, latex: Bool, into text: inout TextBuilder) {
        var empty = true
        for power in coefficients.indices.reversed() where !coefficients[power].isZero {
            let value = coefficients[power]
            let negative = value.signum < 0
            if empty {
                if negative { text.write("-") }
            } else {
                text.write(negative ? " - " : " + ")
            }
            empty = false
            if power == 0 || !(value.denominator.intValue == 1 && value.numerator.magnitude.intValue == 1) {
                if latex { text.writeLatex(value, absolute: true) } else { text.write(value, absolute: true) }
                if power == 0 { continue }
                if !latex { text.write("*") }
            }
            text.write(string: variable)
            if power > 1 {
                text.write(latex ? "^{" : "^")
                text.write(BigInt(power))
                if latex { text.write("}") }
            }
        }
        if empty { text.write("0") }
    }
}
