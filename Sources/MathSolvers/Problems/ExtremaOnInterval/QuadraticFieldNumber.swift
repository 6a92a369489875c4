import ExactMath
import Foundation
import Symbolic

/// u + v·√m with u, v rational and m a square-free integer > 1 (or v = 0): the exact values a
/// polynomial or rational function takes at a rational point or at a root of a quadratic
/// factor, with field arithmetic, so f((1 + √5)/2) comes out as a + b√5, simplified.
struct QuadraticFieldNumber: Equatable {
    let u: Rational
    let v: Rational
    let m: BigInt

    init(_ u: Rational, _ v: Rational = .zero, m: BigInt = .one) {
        self.u = u
        self.v = m == .one ? .zero : v
        self.m = v.isZero ? .one : m
    }

    static func + (a: Self, b: Self) -> Self { Self(a.u + b.u, a.v + b.v, m: Swift.max(a.m, b.m)) }
    static func * (a: Self, b: Self) -> Self {
        let m = Swift.max(a.m, b.m)
        return Self(a.u * b.u + a.v * b.v * Rational(m), a.u * b.v + a.v * b.u, m: m)
    }

    /// nil for zero.
    func inverse() -> Self? {
        let norm = u * u - v * v * Rational(m)
        guard !norm.isZero else { return nil }
        return Self(u / norm, -v / norm, m: m)
    }

    func evaluate(_ p: Polynomial) -> Self {
        var result = Self(.zero, m: m)
        for coefficient in p.coefficients.reversed() { result = result * self + Self(coefficient, m: m) }
        return result
    }

    var isRational: Bool { v.isZero }

    /// The surd form's integers: (p + q·√m)/r.
    private var integers: (p: BigInt, q: BigInt, r: BigInt) {
        let r = BigInt.lcm(u.denominator, v.denominator)
        return (u.numerator * r.dividedExactly(by: u.denominator), v.numerator * r.dividedExactly(by: v.denominator), r)
    }

    func decimal(digits: Int) -> String {
        if isRational { return DecimalApproximation.of(u, digits: digits) }
        let (p, q, r) = integers
        return DecimalApproximation.ofSurd(p: p, q: q, m: m, r: r, digits: digits)
    }

    /// Input syntax and LaTeX, as a student writes it: (1 + 3*sqrt(5))/2.
    var text: (ascii: String, latex: String) {
        if isRational { return (Expr.number(u).ascii, Expr.number(u).latex) }
        let surd = SurdText(real: u, coefficient: v.signum < 0 ? -v : v, radicand: m)
        var ascii = TextBuilder(capacity: 64)
        surd.writeASCII(sign: v.signum, into: &ascii)
        var latex = TextBuilder(capacity: 64)
        surd.writeLatex(sign: v.signum, into: &latex)
        return (ascii.take(), latex.take())
    }
}

extension QuadraticFieldNumber {
    /// The sign of self − r, exactly.
    func compare(to r: Rational) -> Int {
        let d = u - r
        if v.isZero { return d.signum }
        if d.signum == 0 { return v.signum }
        if d.signum == v.signum { return d.signum }
        // d and v·√m have opposite signs: the larger magnitude wins.
        let left = d * d, right = v * v * Rational(m)
        return left > right ? d.signum : (left < right ? v.signum : 0)
    }

    /// The real roots of a quadratic with no rational root, exactly: (−b ± √Δ)/2 for monic q.
    static func roots(ofQuadratic q: Polynomial) throws -> [QuadraticFieldNumber] {
        let monic = q.monic
        let b = monic[1], c = monic[0]
        let discriminant = b * b - Rational(4) * c
        guard discriminant.signum > 0 else { return [] }
        let (k, m) = try Surd.extractSquares(discriminant.numerator * discriminant.denominator)
        let spread = Rational(k, discriminant.denominator) * Rational(1, 2)
        let center = -b * Rational(1, 2)
        return [QuadraticFieldNumber(center, -spread, m: m), QuadraticFieldNumber(center, spread, m: m)]
    }
}
