import ExactMath

/// A polynomial in one variable with rational coefficients (`coefficients[i]` multiplies xⁱ),
/// always trimmed so the leading coefficient is non-zero (the zero polynomial has none).
public struct Polynomial: Sendable, Hashable {
    public private(set) var coefficients: [Rational]

    public init(_ coefficients: [Rational]) {
        var trimmed = coefficients
        while let last = trimmed.last, last.isZero { trimmed.removeLast() }
        self.coefficients = trimmed
    }

    public static let zero = Polynomial([])
    public static let one = Polynomial([.one])
    public static let x = Polynomial([.zero, .one])

    public static func constant(_ value: Rational) -> Polynomial { Polynomial([value]) }

    /// −1 for the zero polynomial.
    public var degree: Int { coefficients.count - 1 }
    public var isZero: Bool { coefficients.isEmpty }
    public var leading: Rational { coefficients.last ?? .zero }
    public subscript(power: Int) -> Rational { power < coefficients.count ? coefficients[power] : .zero }

    public static func + (lhs: Polynomial, rhs: Polynomial) -> Polynomial {
        Polynomial((0..<max(lhs.coefficients.count, rhs.coefficients.count)).map { lhs[$0] + rhs[$0] })
    }

    public static func - (lhs: Polynomial, rhs: Polynomial) -> Polynomial {
        Polynomial((0..<max(lhs.coefficients.count, rhs.coefficients.count)).map { lhs[$0] - rhs[$0] })
    }

    public static func * (lhs: Polynomial, rhs: Polynomial) -> Polynomial {
        guard !lhs.isZero, !rhs.isZero else { return .zero }
        var result = [Rational](repeating: .zero, count: lhs.coefficients.count + rhs.coefficients.count - 1)
        for (i, a) in lhs.coefficients.enumerated() where !a.isZero {
            for (j, b) in rhs.coefficients.enumerated() where !b.isZero { result[i + j] = result[i + j] + a * b }
        }
        return Polynomial(result)
    }

    public func scaled(_ factor: Rational) -> Polynomial { Polynomial(coefficients.map { $0 * factor }) }

    public func power(_ n: Int) -> Polynomial {
        var result = Polynomial.one
        for _ in 0..<n { result = result * self }
        return result
    }

    /// Quotient and remainder; a zero divisor leaves everything as remainder.
    public func divided(by divisor: Polynomial) -> (quotient: Polynomial, remainder: Polynomial) {
        guard !divisor.isZero else { return (.zero, self) }
        var remainder = coefficients
        let d = divisor.degree
        guard degree >= d else { return (.zero, self) }
        var quotient = [Rational](repeating: .zero, count: degree - d + 1)
        let lead = divisor.leading
        for k in stride(from: degree - d, through: 0, by: -1) {
            let q = remainder[k + d] / lead
            quotient[k] = q
            if q.isZero { continue }
            for (j, c) in divisor.coefficients.enumerated() { remainder[k + j] = remainder[k + j] - q * c }
        }
        return (Polynomial(quotient), Polynomial(Array(remainder.prefix(d))))
    }

    public var derivative: Polynomial {
        Polynomial(coefficients.enumerated().dropFirst().map { Rational($0.offset) * $0.element })
    }

    public var monic: Polynomial { isZero ? self : scaled(.one / leading) }

    public static func gcd(_ a: Polynomial, _ b: Polynomial) -> Polynomial {
        var (x, y) = (a, b)
        while !y.isZero { (x, y) = (y, x.divided(by: y).remainder) }
        return x.monic
    }

    public func evaluate(_ value: Rational) -> Rational {
        coefficients.reversed().reduce(Rational.zero) { $0 * value + $1 }
    }

    public func evaluate(_ value: Double) -> Double {
        coefficients.reversed().reduce(0.0) { $0 * value + $1.doubleValue }
    }

    public func expression(in variable: String) -> Expr {
        Expr.add(coefficients.enumerated().map { Expr.number($0.element) * .pow(.symbol(variable), .int($0.offset)) })
    }

    /// The polynomial an expression is, when it is one in `variable` with rational coefficients
    /// (expanding products and integer powers up to `maxDegree`).
    public static func from(_ expr: Expr, _ variable: String, maxDegree: Int = 64) -> Polynomial? {
        switch expr {
        case .number(let value): return .constant(value)
        case .symbol(let name): return name == variable ? .x : nil
        case .constant, .function: return nil
        case .sum(let terms):
            var result = Polynomial.zero
            for term in terms {
                guard let p = from(term, variable, maxDegree: maxDegree) else { return nil }
                result = result + p
            }
            return result
        case .product(let factors):
            var result = Polynomial.one
            for factor in factors {
                guard let p = from(factor, variable, maxDegree: maxDegree) else { return nil }
                result = result * p
                if result.degree > maxDegree { return nil }
            }
            return result
        case .power(let base, let exponent):
            guard let n = exponent.rationalValue, n.isInteger, let k = n.numerator.intValue, k >= 0,
                  let p = from(base, variable, maxDegree: maxDegree), p.degree * k <= maxDegree else { return nil }
            return p.power(k)
        }
    }
}

/// A quotient of two polynomials, read off an expression when it is one.
public struct RationalFunction: Sendable {
    public var numerator: Polynomial
    public var denominator: Polynomial

    public static func from(_ expr: Expr, _ variable: String, maxDegree: Int = 32) -> RationalFunction? {
        switch expr {
        case .sum(let terms):
            var result = RationalFunction(numerator: .zero, denominator: .one)
            for term in terms {
                guard let r = from(term, variable, maxDegree: maxDegree) else { return nil }
                result = RationalFunction(
                    numerator: result.numerator * r.denominator + r.numerator * result.denominator,
                    denominator: result.denominator * r.denominator
                )
                if result.denominator.degree > maxDegree { return nil }
            }
            return result
        case .product(let factors):
            var result = RationalFunction(numerator: .one, denominator: .one)
            for factor in factors {
                guard let r = from(factor, variable, maxDegree: maxDegree) else { return nil }
                result = RationalFunction(numerator: result.numerator * r.numerator, denominator: result.denominator * r.denominator)
                if result.denominator.degree > maxDegree || result.numerator.degree > maxDegree { return nil }
            }
            return result
        case .power(let base, let exponent):
            guard let n = exponent.rationalValue, n.isInteger, let k = n.numerator.intValue, k != 0, Swift.abs(k) <= maxDegree,
                  let r = from(base, variable, maxDegree: maxDegree), !r.numerator.isZero,
                  max(r.numerator.degree, r.denominator.degree) * Swift.abs(k) <= maxDegree else { break }
            return k > 0
                ? RationalFunction(numerator: r.numerator.power(k), denominator: r.denominator.power(k))
                : RationalFunction(numerator: r.denominator.power(-k), denominator: r.numerator.power(-k))
        default:
            break
        }
        guard let p = Polynomial.from(expr, variable, maxDegree: maxDegree) else { return nil }
        return RationalFunction(numerator: p, denominator: .one)
    }

    /// Cancels the common factor and makes the denominator monic (a zero denominator, which
    /// `from` never produces, is left alone).
    public var reduced: RationalFunction {
        guard !denominator.isZero else { return self }
        let g = Polynomial.gcd(numerator, denominator)
        var n = numerator.divided(by: g).quotient
        var d = denominator.divided(by: g).quotient
        let lead = d.leading
        n = n.scaled(.one / lead)
        d = d.scaled(.one / lead)
        return RationalFunction(numerator: n, denominator: d)
    }
}
