import ExactMath
import Foundation
import Symbolic

/// The roots of a polynomial over Q, each in its simplest exact form where one is found:
/// rational roots proved by evaluation, quadratic factors by the quadratic formula (surds,
/// complex pairs), an irreducible cubic by Cardano (the trigonometric form for three real
/// roots); what is left (an irreducible factor of degree 4 or more that does not split into
/// quadratics over Q) has its real roots isolated exactly and printed as certified decimals.
struct PolynomialRootFinder {
    /// A real root with its multiplicity in the original polynomial.
    struct RealRoot {
        /// nil for a root known only by an isolating interval.
        let exact: Expr?
        /// Input syntax: the exact value, or the certified decimal.
        let text: String
        let latex: String
        let decimal: String
        let multiplicity: Int
        /// For ordering.
        let approximate: Double
    }

    struct ComplexRoot {
        let text: String
        let latex: String
        let multiplicity: Int
        let real: Double
        let imaginary: Double
    }

    /// How a square-free piece was solved (one step each).
    enum Piece {
        case rational([Rational])
        case quadratic(Polynomial, discriminant: Rational)
        case cardano(Polynomial, realRoots: Int)
        case biquadratic(Polynomial, discriminant: Rational)
        case numeric(Polynomial, realRoots: Int)
    }

    var real: [RealRoot] = []
    var complex: [ComplexRoot] = []
    var pieces: [(piece: Piece, multiplicity: Int)] = []
    /// Non-real roots of numeric pieces, counted with multiplicity, not listed.
    var unlistedComplexRoots = 0

    static let certifiedDigits = 30

    init(_ p: Polynomial, digits: Int, deadline: Deadline) throws(SolveError) {
        do {
            for (part, multiplicity) in p.squareFreeFactors {
                try deadline.check()
                try solve(part, multiplicity: multiplicity, digits: digits, deadline: deadline)
            }
        } catch let error as SolveError {
            throw error
        } catch {
            throw .timeout
        }
        // A root no double can hold (nan) sorts last; `verify` skips it.
        real.sort { ($0.approximate.isNaN ? .infinity : $0.approximate) < ($1.approximate.isNaN ? .infinity : $1.approximate) }
        complex.sort { ($0.real, $0.imaginary) < ($1.real, $1.imaginary) }
    }

    private mutating func solve(_ part: Polynomial, multiplicity: Int, digits: Int, deadline: Deadline) throws {
        var rest = part
        let rationals = try RationalRootTest.allRoots(of: part, deadline: deadline)
        for value in rationals { rest = rest.divided(by: Polynomial([-value, .one])).quotient }
        if !rationals.isEmpty {
            pieces.append((.rational(rationals), multiplicity))
            for value in rationals {
                addReal(.number(value), multiplicity: multiplicity, digits: digits)
            }
        }
        guard rest.degree >= 1 else { return }
        if rest.degree == 2 {
            try quadratic(rest, multiplicity: multiplicity, digits: digits)
        } else if rest.degree == 3 {
            try cubic(rest, multiplicity: multiplicity, digits: digits)
        } else if rest.degree == 4, rest[1].isZero, rest[3].isZero {
            if let (first, second) = try Self.splitBiquadratic(rest) {
                try quadratic(first, multiplicity: multiplicity, digits: digits)
                try quadratic(second, multiplicity: multiplicity, digits: digits)
            } else {
                try biquadratic(rest, multiplicity: multiplicity, digits: digits)
            }
        } else if let split = PolynomialFactorizer.factor(rest), split.factors.allSatisfy({ $0.polynomial.degree == 2 }) {
            for factor in split.factors { try quadratic(factor.polynomial, multiplicity: multiplicity, digits: digits) }
        } else {
            try numeric(rest, multiplicity: multiplicity, deadline: deadline)
        }
    }

    private mutating func addReal(_ value: Expr, multiplicity: Int, digits: Int) {
        let approximate = NumericEvaluator.evaluate(value) ?? .nan
        real.append(RealRoot(
            exact: value, text: value.ascii, latex: value.latex, decimal: PreciseEvaluator.decimal(value, digits: digits) ?? "",
            multiplicity: multiplicity, approximate: approximate
        ))
    }

    /// x² + bx + c (monic after scaling) with no rational root.
    private mutating func quadratic(_ q: Polynomial, multiplicity: Int, digits: Int) throws {
        let monic = q.monic
        let b = monic[1], c = monic[0]
        let discriminant = b * b - Rational(4) * c
        pieces.append((.quadratic(monic, discriminant: discriminant), multiplicity))
        let half = Rational(1, 2)
        let magnitude = discriminant.signum < 0 ? -discriminant : discriminant
        let (k, m) = try Surd.extractSquares(magnitude.numerator * magnitude.denominator)
        let spread = Rational(k, magnitude.denominator) * half  // coefficient of √m in each root
        let center = -b * half
        if discriminant.signum > 0 {
            // Written as a student writes it: (1 − √5)/2, not −√5/2 + 1/2.
            let surd = SurdText(real: center, coefficient: spread, radicand: m)
            // Decimals from the surd in integer arithmetic (as the quadratic solver does).
            let decimals = surd.decimals(digits: digits)
            for (index, sign) in [-1, 1].enumerated() {
                let value = Expr.number(center) + Expr.number(sign < 0 ? -spread : spread) * Expr.sqrt(.number(Rational(m)))
                var ascii = TextBuilder()
                surd.writeASCII(sign: sign, into: &ascii)
                var latex = TextBuilder()
                surd.writeLatex(sign: sign, into: &latex)
                real.append(RealRoot(
                    exact: value, text: ascii.take(), latex: latex.take(), decimal: decimals[index],
                    multiplicity: multiplicity, approximate: NumericEvaluator.evaluate(value) ?? .nan
                ))
            }
        } else {
            let text = ComplexText(real: center, imaginaryCoefficient: spread, radicand: m)
            let imaginary = spread.doubleValue * Double(m.description).map { $0.squareRoot() }.unsafelyUnwrappedOr(0)
            for sign in [-1, 1] {
                var ascii = TextBuilder()
                text.writeASCII(sign: sign, into: &ascii)
                var latex = TextBuilder()
                text.writeLatex(sign: sign, into: &latex)
                complex.append(ComplexRoot(text: ascii.take(), latex: latex.take(), multiplicity: multiplicity, real: center.doubleValue, imaginary: Double(sign) * imaginary))
            }
        }
    }

    /// x⁴ + bx² + c = (x² + px + q)(x² − px + q) over Q when q = ±√c and p = √(2q − b) are
    /// rational (x⁴ + x² + 1 = (x² + x + 1)(x² − x + 1)); nil otherwise. (The other splitting,
    /// (x² + r)(x² + s), has rational t = x² and is exact on the biquadratic path anyway.)
    static func splitBiquadratic(_ f: Polynomial) throws -> (Polynomial, Polynomial)? {
        let monic = f.monic
        let b = monic[2], c = monic[0]
        guard c.signum > 0, let root = try rationalSquareRoot(c) else { return nil }
        for q in [root, -root] {
            let square = Rational(2) * q - b
            guard square.signum > 0, let p = try rationalSquareRoot(square) else { continue }
            return (Polynomial([q, p, .one]), Polynomial([q, -p, .one]))
        }
        return nil
    }

    static func rationalSquareRoot(_ value: Rational) throws -> Rational? {
        guard value.signum >= 0 else { return nil }
        let (top, topRest) = try Surd.extractSquares(value.numerator)
        let (bottom, bottomRest) = try Surd.extractSquares(value.denominator)
        return topRest == .one && bottomRest == .one ? Rational(top, bottom) : nil
    }

    /// An irreducible ax⁴ + bx² + c by t = x²: t = (−b ± √Δ)/(2a), x = ±√t; when Δ < 0 the
    /// four roots are ±(√((r + s)/2) ± i·√((r − s)/2)) with r = √(c/a) = |t| and s = −b/(2a).
    private mutating func biquadratic(_ f: Polynomial, multiplicity: Int, digits: Int) throws {
        let monic = f.monic
        let b = monic[2], c = monic[0]
        let discriminant = b * b - Rational(4) * c
        pieces.append((.biquadratic(monic, discriminant: discriminant), multiplicity))
        let half = Rational(1, 2)
        if discriminant.signum >= 0 {
            for sign in [-1, 1] {
                let t = Expr.number(-b * half) + Expr.number(Rational(sign) * half) * Expr.sqrt(.number(discriminant))
                let approximate = NumericEvaluator.evaluate(t) ?? 0
                if approximate > 0 {
                    for outer in [-1, 1] { addReal(Expr.number(Rational(outer)) * Expr.sqrt(t), multiplicity: multiplicity, digits: digits) }
                } else {
                    let magnitude = Expr.sqrt(-t)
                    let im = NumericEvaluator.evaluate(magnitude) ?? 0
                    for outer in [-1, 1] {
                        complex.append(ComplexRoot(
                            text: "\(outer < 0 ? "-" : "")(\(magnitude.ascii))*I", latex: "\(outer < 0 ? "-" : "")\\left(\(magnitude.latex)\\right)i",
                            multiplicity: multiplicity, real: 0, imaginary: Double(outer) * im
                        ))
                    }
                }
            }
        } else {
            let r = Expr.sqrt(.number(c)), s = Expr.number(-b * half)
            let realPart = Expr.sqrt((r + s) / Expr.int(2)), imaginaryPart = Expr.sqrt((r - s) / Expr.int(2))
            let re = NumericEvaluator.evaluate(realPart) ?? 0, im = NumericEvaluator.evaluate(imaginaryPart) ?? 0
            for outer in [-1, 1] {
                for inner in [-1, 1] {
                    let lead = outer < 0 ? "-" : ""
                    let sign = outer * inner < 0 ? "-" : "+"
                    complex.append(ComplexRoot(
                        text: "\(lead)\(realPart.ascii) \(sign) (\(imaginaryPart.ascii))*I",
                        latex: "\(lead)\(realPart.latex) \(sign) \\left(\(imaginaryPart.latex)\\right)i",
                        multiplicity: multiplicity, real: Double(outer) * re, imaginary: Double(outer * inner) * im
                    ))
                }
            }
        }
    }

    /// An irreducible cubic over Q by Cardano's formula on the depressed cubic t³ + pt + q
    /// (x = t − a/3); three real roots take the trigonometric form.
    private mutating func cubic(_ f: Polynomial, multiplicity: Int, digits: Int) throws {
        let monic = f.monic
        let a = monic[2], b = monic[1], c = monic[0]
        let p = b - a * a / Rational(3)
        let q = Rational(2) * a * a * a / Rational(27) - a * b / Rational(3) + c
        let disc = q * q / Rational(4) + p * p * p / Rational(27)
        let shift = Expr.number(-a / Rational(3))
        if disc.signum < 0 {
            // Three real roots (p < 0): t_k = 2√(−p/3)·cos(⅓·arccos((3q/2p)·√(−3/p)) − 2πk/3).
            pieces.append((.cardano(monic, realRoots: 3), multiplicity))
            let amplitude = Expr.int(2) * Expr.sqrt(.number(-p / Rational(3)))
            let angle = Expr.apply(.acos, Expr.number(Rational(3) * q / (Rational(2) * p)) * Expr.sqrt(.number(Rational(-3) / p))) / Expr.int(3)
            for k in 0..<3 {
                let value = shift + amplitude * Expr.apply(.cos, angle - Expr.number(Rational(2 * k, 3)) * .pi)
                addReal(value, multiplicity: multiplicity, digits: digits)
            }
        } else {
            pieces.append((.cardano(monic, realRoots: 1), multiplicity))
            // u³ = −q/2 + √disc, v³ = −q/2 − √disc, written as real cube roots of |·| with signs.
            let root = Expr.sqrt(.number(disc))
            let minusHalfQ = Expr.number(-q / Rational(2))
            let uSign = (-q).signum >= 0 || p.signum > 0 ? 1 : -1
            let vSign = (-q).signum <= 0 || p.signum > 0 ? -1 : 1
            let u = Expr.number(Rational(uSign)) * Expr.pow(Expr.number(Rational(uSign)) * (minusHalfQ + root), .number(Rational(1, 3)))
            let v = Expr.number(Rational(vSign)) * Expr.pow(Expr.number(Rational(vSign)) * (minusHalfQ - root), .number(Rational(1, 3)))
            addReal(shift + u + v, multiplicity: multiplicity, digits: digits)
            // The complex pair: −a/3 − (u+v)/2 ± i·(√3/2)(u − v).
            let realPart = shift - (u + v) / Expr.int(2)
            let imaginaryPart = Expr.sqrt(.int(3)) / Expr.int(2) * (u - v)
            let re = NumericEvaluator.evaluate(realPart) ?? 0, im = NumericEvaluator.evaluate(imaginaryPart) ?? 0
            for sign in [-1, 1] {
                complex.append(ComplexRoot(
                    text: "\(realPart.ascii) \(sign < 0 ? "-" : "+") (\(imaginaryPart.ascii))*I",
                    latex: "\(realPart.latex) \(sign < 0 ? "-" : "+") \\left(\(imaginaryPart.latex)\\right)i",
                    multiplicity: multiplicity, real: re, imaginary: Double(sign) * abs(im)
                ))
            }
        }
    }

    /// Real roots isolated exactly and printed to `certifiedDigits` places: the interval is
    /// narrowed until both ends round to the same decimal, so every printed digit is true.
    private mutating func numeric(_ f: Polynomial, multiplicity: Int, deadline: Deadline) throws {
        guard let isolation = RealRootIsolation(f) else { return }
        let digits = Self.certifiedDigits
        var count = 0
        for root in try isolation.roots(width: Rational(1, 1 << 20), deadline: deadline) {
            guard case .isolated(let lower, let upper) = root else { continue }
            var width = Rational(BigInt.one, BigInt(10).power(UInt(digits + 2)))
            var (a, b) = try isolation.refine(lower, upper, width: width, deadline: deadline)
            var printed: String?
            for _ in 0..<64 {
                let low = DecimalApproximation.of(a, digits: digits), high = DecimalApproximation.of(b, digits: digits)
                if low == high { printed = low; break }
                width = width / Rational(1024)
                (a, b) = try isolation.refine(a, b, width: width, deadline: deadline)
            }
            // A root on a rounding boundary to 64×10 more bits cannot be told apart; print one
            // digit fewer (both ends then agree: they lie within 10^-(d+2) of each other).
            let text = printed ?? DecimalApproximation.of(a, digits: digits - 1)
            real.append(RealRoot(exact: nil, text: text, latex: text, decimal: text, multiplicity: multiplicity, approximate: a.doubleValue))
            count += 1
        }
        pieces.append((.numeric(f.monic, realRoots: count), multiplicity))
        unlistedComplexRoots += (f.degree - count) * multiplicity
    }
}

extension Optional where Wrapped == Double {
    fileprivate func unsafelyUnwrappedOr(_ fallback: Double) -> Double { self ?? fallback }
}
