import ExactMath

/// R(x)/(a·xⁿ + c) with n ≥ 3 and deg R < n, when the denominator does not split over Q into
/// linear and quadratic factors (`1/(x⁵ + 1)`: x⁵ + 1 = (x + 1)(x⁴ − x³ + x² − x + 1); `1/(x³ + 2)`).
///
/// Rothstein–Trager would find the logarithms' coefficients as the roots of a resultant over an
/// algebraic extension; for a binomial the roots are known in closed form instead: ρ·e^{iθ} with
/// ρ = |c/a|^{1/n} and θ the odd (c/a > 0) or even (c/a < 0) multiples of π/n. Every root z is
/// simple, with residue w = R(z)/(n·a·z^{n−1}) = −R(z)·z/(n·c), because a·zⁿ = −c. A real root
/// contributes w·ln|x − z|; a conjugate pair z, z̄ = α ± iβ (β > 0) contributes
/// Re(w)·ln(x² − 2αx + ρ²) − 2·Im(w)·atan((x − α)/β), which is continuous on the whole line, so a
/// definite integral needs no cut except at the real roots.
enum BinomialIntegration {
    static func integrate(_ numerator: Polynomial, _ denominator: Polynomial, _ x: Expr) -> Expr? {
        let n = denominator.degree
        guard n >= 3, n <= PolynomialFactorizer.maxDegree, numerator.degree < n,
              !denominator[0].isZero, (1..<n).allSatisfy({ denominator[$0].isZero }) else { return nil }
        let a = denominator.leading, c = denominator[0]
        let ratio = c / a
        let positive = ratio.signum > 0
        let modulus = positive ? ratio : -ratio
        let scale = Expr.number(-(Rational.one / (Rational(n) * c)))
        let rho = radius(modulus, n, power: 1), rhoSquared = radius(modulus, n, power: 2)
        var pieces: [Expr] = []
        // θ = tπ for t in [0, 1]; the roots below the real axis are the conjugates of these.
        for k in 0...n {
            let t = Rational(positive ? 2 * k + 1 : 2 * k, n)
            guard t <= .one else { break }
            // R(z)·z = Σ rⱼ·ρ^{j+1}·e^{i(j+1)θ}.
            var real: [Expr] = [], imaginary: [Expr] = []
            for j in 0...max(numerator.degree, 0) where !numerator[j].isZero {
                let weight = Expr.number(numerator[j]) * radius(modulus, n, power: j + 1)
                real.append(weight * cosine(t * Rational(j + 1)))
                imaginary.append(weight * sine(t * Rational(j + 1)))
            }
            let residueReal = scale * .add(real), residueImaginary = scale * .add(imaginary)
            let alpha = rho * cosine(t)
            if t.isZero || t == .one {
                if !residueReal.isZero { pieces.append(residueReal * .ln(.apply(.abs, x - alpha))) }
                continue
            }
            let beta = rho * sine(t)
            if !residueReal.isZero {
                let quadratic = Expr.pow(x, .int(2)) - .int(2) * alpha * x + rhoSquared
                pieces.append(residueReal * .ln(quadratic))
            }
            if !residueImaginary.isZero {
                pieces.append(.int(-2) * residueImaginary * .apply(.atan, (x - alpha) / beta))
            }
        }
        return .add(pieces)
    }

    /// ρ^power with ρ = modulus^{1/n}.
    private static func radius(_ modulus: Rational, _ n: Int, power: Int) -> Expr {
        .pow(.number(modulus), .number(Rational(power, n)))
    }

    private static func cosine(_ t: Rational) -> Expr { sine(t + Rational(1, 2)) }

    /// sin(tπ): exact at the multiples of π/6 and π/4 (`FunctionValues`), by radicals at the
    /// multiples of π/10 (the fifth roots of ±1), otherwise left as sin(tπ), which is still exact.
    private static func sine(_ t: Rational) -> Expr {
        if let tenths = (t * Rational(10)).integerValue, t.denominator != 1, t.denominator != 2 {
            let k = ((tenths % 20) + 20) % 20
            let sign: Expr = k >= 10 ? .minusOne : .one
            let reduced = k % 10
            let folded = reduced > 5 ? 10 - reduced : reduced
            let root5 = Expr.sqrt(.int(5))
            let value: Expr
            switch folded {
            case 1: value = (root5 - .one) / .int(4)
            case 2: value = .sqrt(.int(10) - .int(2) * root5) / .int(4)
            case 3: value = (root5 + .one) / .int(4)
            case 4: value = .sqrt(.int(10) + .int(2) * root5) / .int(4)
            default: value = .apply(.sin, .number(t) * .pi)
            }
            return sign * value
        }
        return .apply(.sin, .number(t) * .pi)
    }
}

private extension Rational {
    /// The value as an Int when it is an integer that fits.
    var integerValue: Int? { isInteger ? numerator.intValue : nil }
}
