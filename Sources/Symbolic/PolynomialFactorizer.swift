import ExactMath
import Foundation

/// Splits a polynomial over Q into linear and quadratic factors, when it has such a splitting:
/// square-free decomposition (Yun), then roots located numerically (Durand–Kerner) and turned
/// into candidate factors whose rational coefficients are guessed from continued fractions and
/// kept only after an exact division check. A polynomial with an irreducible factor of degree
/// three or more over Q yields nil: the guesses only ever propose, exact arithmetic decides.
public enum PolynomialFactorizer {
    public struct Factor: Sendable, Equatable {
        /// Monic, degree 1 or 2 (irreducible over Q when degree 2).
        public var polynomial: Polynomial
        public var multiplicity: Int
    }

    public static let maxDegree = 12

    /// p = leading · Π factorᵢ^multiplicityᵢ, or nil.
    public static func factor(_ p: Polynomial) -> (leading: Rational, factors: [Factor])? {
        guard p.degree >= 1, p.degree <= maxDegree else { return p.degree == 0 ? (p.leading, []) : nil }
        var factors: [Factor] = []
        for (part, multiplicity) in squareFree(p.monic) where part.degree >= 1 {
            guard let pieces = split(part) else { return nil }
            factors += pieces.map { Factor(polynomial: $0, multiplicity: multiplicity) }
        }
        return (p.leading, factors)
    }

    /// Yun's algorithm: monic p = Π aᵢ^i with the aᵢ square-free and pairwise coprime.
    static func squareFree(_ p: Polynomial) -> [(Polynomial, Int)] {
        var result: [(Polynomial, Int)] = []
        let derivative = p.derivative
        var a = Polynomial.gcd(p, derivative)
        var b = p.divided(by: a).quotient
        var c = derivative.divided(by: a).quotient
        var d = c - b.derivative
        var i = 1
        while b.degree >= 1 {
            a = Polynomial.gcd(b, d)
            if a.degree >= 1 { result.append((a, i)) }
            b = b.divided(by: a).quotient
            c = d.divided(by: a).quotient
            d = c - b.derivative
            i += 1
            if i > p.degree + 1 { break }
        }
        return result
    }

    /// A square-free monic polynomial as monic linear and irreducible quadratic factors.
    static func split(_ p: Polynomial) -> [Polynomial]? {
        var remaining = p
        var pieces: [Polynomial] = []
        if p.degree == 1 { return [p] }
        let roots = NumericRoots.roots(of: p)
        guard roots.count == p.degree else { return nil }
        let bound = denominatorBound(p)
        // Rational roots first.
        var unused: [Complex] = []
        for root in roots {
            if Swift.abs(root.imaginary) < 1e-7 * Swift.max(1, Swift.abs(root.real)),
               let r = RationalGuess.candidates(root.real, maxDenominator: bound).first(where: { remaining.evaluate($0).isZero }) {
                let linear = Polynomial([-r, .one])
                remaining = remaining.divided(by: linear).quotient
                pieces.append(linear)
            } else {
                unused.append(root)
            }
        }
        // Then pairs of the other roots whose quadratic has rational coefficients.
        var used = [Bool](repeating: false, count: unused.count)
        for i in unused.indices where !used[i] {
            for j in unused.indices where j > i && !used[j] {
                let sum = unused[i] + unused[j]
                let product = unused[i] * unused[j]
                let scale = Swift.max(1, Swift.abs(sum.real), Swift.abs(product.real))
                guard Swift.abs(sum.imaginary) < 1e-7 * scale, Swift.abs(product.imaginary) < 1e-7 * scale else { continue }
                var found = false
                for s in RationalGuess.candidates(sum.real, maxDenominator: bound * bound) where !found {
                    for q in RationalGuess.candidates(product.real, maxDenominator: bound * bound) where !found {
                        let quadratic = Polynomial([q, -s, .one])
                        let (quotient, remainder) = remaining.divided(by: quadratic)
                        if remainder.isZero {
                            remaining = quotient
                            pieces.append(quadratic)
                            found = true
                        }
                    }
                }
                if found {
                    used[i] = true
                    used[j] = true
                }
            }
        }
        return remaining.degree == 0 ? pieces : nil
    }

    /// A bound for denominators of the coefficients of monic factors: the leading coefficient of
    /// the primitive integer multiple of p (capped so guessing stays cheap).
    private static func denominatorBound(_ p: Polynomial) -> Int {
        let lcm = p.coefficients.reduce(BigInt.one) { BigInt.lcm($0, $1.denominator) }
        let content = p.coefficients.reduce(BigInt.zero) { BigInt.gcd($0, $1.numerator * lcm.dividedExactly(by: $1.denominator)) }
        let lead = (p.leading.numerator * lcm.dividedExactly(by: p.leading.denominator)).dividedExactly(by: content)
        return Swift.min(lead.magnitude.intValue ?? 1_000_000, 1_000_000)
    }
}

/// A complex number in double precision, for root location only.
struct Complex: Sendable {
    var real: Double
    var imaginary: Double

    static func + (a: Complex, b: Complex) -> Complex { Complex(real: a.real + b.real, imaginary: a.imaginary + b.imaginary) }
    static func - (a: Complex, b: Complex) -> Complex { Complex(real: a.real - b.real, imaginary: a.imaginary - b.imaginary) }
    static func * (a: Complex, b: Complex) -> Complex {
        Complex(real: a.real * b.real - a.imaginary * b.imaginary, imaginary: a.real * b.imaginary + a.imaginary * b.real)
    }
    static func / (a: Complex, b: Complex) -> Complex {
        let d = b.real * b.real + b.imaginary * b.imaginary
        return Complex(real: (a.real * b.real + a.imaginary * b.imaginary) / d, imaginary: (a.imaginary * b.real - a.real * b.imaginary) / d)
    }
    var magnitude: Double { (real * real + imaginary * imaginary).squareRoot() }
}

/// All complex roots of a polynomial, by Durand–Kerner iteration polished with Newton steps.
enum NumericRoots {
    static func roots(of p: Polynomial) -> [Complex] {
        let n = p.degree
        guard n >= 1 else { return [] }
        let monic = p.monic.coefficients.map(\.doubleValue)
        guard monic.allSatisfy(\.isFinite) else { return [] }
        func value(_ z: Complex) -> Complex {
            var result = Complex(real: 1, imaginary: 0)
            for k in stride(from: n - 1, through: 0, by: -1) {
                result = result * z + Complex(real: monic[k], imaginary: 0)
            }
            return result
        }
        let radius = 1 + (monic.dropLast().map { Swift.abs($0) }.max() ?? 0)
        var roots = (0..<n).map { k -> Complex in
            let angle = 2 * Double.pi * Double(k) / Double(n) + 0.4
            return Complex(real: radius * 0.5 * cos(angle), imaginary: radius * 0.5 * sin(angle))
        }
        for _ in 0..<2000 {
            var change = 0.0
            for i in 0..<n {
                var denominator = Complex(real: 1, imaginary: 0)
                for j in 0..<n where j != i { denominator = denominator * (roots[i] - roots[j]) }
                if denominator.magnitude == 0 { denominator = Complex(real: 1e-12, imaginary: 0) }
                let step = value(roots[i]) / denominator
                roots[i] = roots[i] - step
                change = Swift.max(change, step.magnitude)
            }
            if change < 1e-15 { break }
        }
        return roots
    }
}

/// Rational numbers close to a double: the continued-fraction convergents with bounded
/// denominators, nearest first.
enum RationalGuess {
    static func candidates(_ value: Double, maxDenominator: Int) -> [Rational] {
        guard value.isFinite, Swift.abs(value) < 1e15 else { return [] }
        var result: [Rational] = []
        var (h0, h1) = (BigInt.zero, BigInt.one)
        var (k0, k1) = (BigInt.one, BigInt.zero)
        var x = value
        for _ in 0..<40 {
            let a = x.rounded(.down)
            guard Swift.abs(a) < 1e15 else { break }
            let ai = BigInt(Int(a))
            (h0, h1) = (h1, ai * h1 + h0)
            (k0, k1) = (k1, ai * k1 + k0)
            if let denominator = k1.intValue, denominator > maxDenominator { break }
            result.append(Rational(h1, k1))
            let fraction = x - a
            if Swift.abs(fraction) < 1e-12 { break }
            x = 1 / fraction
        }
        return result.reversed()
    }
}
