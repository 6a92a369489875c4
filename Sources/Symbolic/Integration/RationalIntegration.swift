import ExactMath

/// Rational functions P/Q over Q: polynomial division, the u'/u shortcut (which also covers
/// denominators irreducible over Q, such as x³ + 3x² + 1), then partial fractions over the
/// linear and quadratic factors of Q with exact coefficients from a linear system; each piece
/// integrates to a power, a logarithm or an arctangent (repeated quadratics by the reduction
/// formula).
enum RationalIntegration {
    static func integrate(_ f: Expr, by integrator: Integrator) throws(IntegrationFailure) -> Expr? {
        let x = integrator.variable
        guard let fraction = RationalFunction.from(f, x) else { return nil }
        let reduced = fraction.reduced
        let (numerator, denominator) = (reduced.numerator, reduced.denominator)
        if denominator.degree == 0 {
            let result = antiderivative(of: numerator, x)
            integrator.record(.powerRule, f, result)
            return result
        }
        var parts: [Expr] = []
        let (quotient, remainder) = numerator.divided(by: denominator)
        if !quotient.isZero {
            let polynomialPart = antiderivative(of: quotient, x)
            parts.append(polynomialPart)
            integrator.record(.polynomialDivision, f, polynomialPart)
        }
        if remainder.isZero { return .add(parts) }
        let q = denominator.expression(in: x)
        // R = c·Q' → c·ln|Q|.
        let derivative = denominator.derivative
        if remainder.degree == derivative.degree {
            let c = remainder.leading / derivative.leading
            if remainder == derivative.scaled(c) {
                let piece = Expr.number(c) * .ln(.apply(.abs, q))
                integrator.record(.logDerivative, remainder.expression(in: x) / q, piece)
                return .add(parts + [piece])
            }
        }
        guard let (_, factors) = PolynomialFactorizer.factor(denominator) else {
            // x⁴ + px² + q irreducible over Q: the x ∓ b/x substitutions instead of factoring;
            // a·xⁿ + c: the residues at its roots, which are known in closed form.
            guard let piece = BiquadraticIntegration.integrate(remainder, denominator, integrator)
                ?? BinomialIntegration.integrate(remainder, denominator, .symbol(x)) else { return nil }
            integrator.record(.partialFractions, remainder.expression(in: x) / q, piece)
            return .add(parts + [piece])
        }
        guard let pieces = partialFractions(remainder, denominator, factors, x) else { return nil }
        var integrated: [Expr] = []
        for piece in pieces {
            do { try integrator.deadline?.check() } catch { throw .timeout }
            integrated.append(integrate(piece, x))
        }
        let result = Expr.add(parts + integrated)
        integrator.record(.partialFractions, f, result)
        return result
    }

    /// A polynomial term by term with the power rule.
    static func antiderivative(of p: Polynomial, _ x: String) -> Expr {
        Expr.add(p.coefficients.enumerated().map { power, c in
            Expr.number(c / Rational(power + 1)) * .pow(.symbol(x), .int(power + 1))
        })
    }

    /// One partial fraction: (b·x + c) / factor^k with factor monic of degree 1 or 2.
    struct Piece {
        var b: Rational
        var c: Rational
        var factor: Polynomial
        var power: Int
    }

    /// R/Q = Σ pieces, coefficients from the linear system of equal coefficients.
    static func partialFractions(_ r: Polynomial, _ q: Polynomial, _ factors: [PolynomialFactorizer.Factor], _ x: String) -> [Piece]? {
        var shapes: [(Polynomial, Int, Bool)] = []  // factor, power, coefficient of x (true) or constant
        var basis: [Polynomial] = []
        for factor in factors {
            for k in 1...factor.multiplicity {
                let cofactor = q.divided(by: factor.polynomial.power(k)).quotient
                if factor.polynomial.degree == 2 {
                    shapes.append((factor.polynomial, k, true))
                    basis.append(cofactor * .x)
                }
                shapes.append((factor.polynomial, k, false))
                basis.append(cofactor)
            }
        }
        let n = q.degree
        guard basis.count == n else { return nil }
        let matrix = (0..<n).map { power in basis.map { $0[power] } }
        let rhs = (0..<n).map { r[$0] }
        guard let solution = try? LinearSystem(matrix: matrix, rhs: rhs).solve(recordSteps: false),
              solution.kind == .unique, let values = solution.values else { return nil }
        var pieces: [Piece] = []
        var index = 0
        while index < shapes.count {
            let (factor, power, isLinearCoefficient) = shapes[index]
            if isLinearCoefficient {
                pieces.append(Piece(b: values[index], c: values[index + 1], factor: factor, power: power))
                index += 2
            } else {
                pieces.append(Piece(b: .zero, c: values[index], factor: factor, power: power))
                index += 1
            }
        }
        return pieces.filter { !$0.b.isZero || !$0.c.isZero }
    }

    static func integrate(_ piece: Piece, _ x: String) -> Expr {
        let variable = Expr.symbol(x)
        let factor = piece.factor.expression(in: x)
        let k = piece.power
        if piece.factor.degree == 1 {
            if k == 1 { return .number(piece.c) * .ln(.apply(.abs, factor)) }
            return .number(piece.c / Rational(1 - k)) * .pow(factor, .int(1 - k))
        }
        // (b·x + c)/(x² + p·x + s)^k = (b/2)·(2x + p)/(...)^k + (c − b·p/2)/(...)^k.
        let p = piece.factor[1]
        let s = piece.factor[0]
        var result: [Expr] = []
        if !piece.b.isZero {
            let half = piece.b / Rational(2)
            // The factor is positive unless it has (irrational) real roots.
            let positive = s - p * p / Rational(4) > .zero
            let logarithm = Expr.ln(positive ? factor : .apply(.abs, factor))
            result.append(k == 1 ? .number(half) * logarithm : .number(half / Rational(1 - k)) * .pow(factor, .int(1 - k)))
        }
        let d = piece.c - piece.b * p / Rational(2)
        if !d.isZero {
            // t = x + p/2, a² = s − p²/4 > 0.
            let t = variable + .number(p / Rational(2))
            let aSquared = s - p * p / Rational(4)
            result.append(.number(d) * quadraticPower(t, aSquared, factor, k))
        }
        return .add(result)
    }

    /// ∫ dt/(t² + a²)^k, written with `factor` = t² + a² in the original variable.
    static func quadraticPower(_ t: Expr, _ aSquared: Rational, _ factor: Expr, _ k: Int) -> Expr {
        if k == 1 {
            if aSquared.signum > 0 {
                let a = Expr.sqrt(.number(aSquared))
                return .apply(.atan, t / a) / a
            }
            // t² − r² with r = √(−a²) irrational: 1/(2r)·ln|(t − r)/(t + r)|.
            let r = Expr.sqrt(.number(-aSquared))
            return (.ln(.apply(.abs, t - r)) - .ln(.apply(.abs, t + r))) / (.int(2) * r)
        }
        // J_k = t/(2a²(k−1)(t²+a²)^(k−1)) + (2k−3)/(2a²(k−1))·J_{k−1}
        let scale = Rational(2) * aSquared * Rational(k - 1)
        return t * .pow(factor, .int(1 - k)) / .number(scale)
            + .number(Rational(2 * k - 3) / scale) * quadraticPower(t, aSquared, factor, k - 1)
    }
}
