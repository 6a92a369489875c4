import ExactMath

/// P(x)/√Q and P(x)·√Q for a polynomial P and a quadratic Q = αx² + βx + γ (`x/√(x² + 1)`,
/// `(2x + 1)·√(x² + x + 1)`, `x²/√(1 − x²)`): ∫ N/√Q = R·√Q + λ·∫ 1/√Q with deg R = deg N − 1,
/// because (R·√Q)' = (R'·Q + R·Q'/2)/√Q. Matching coefficients from the top gives R and λ
/// exactly (a triangular system); the last integral is the arcsine or logarithm form.
enum PolynomialRadicalIntegration {
    static let maxDegree = 24

    static func integrate(_ f: Expr, _ integrator: Integrator) throws(IntegrationFailure) -> Expr? {
        let name = integrator.variable
        var radicand: Expr?
        var half = Rational.zero
        var rest: [Expr] = []
        for factor in f.factors {
            if case .power(let base, .number(let e)) = factor, e == Rational(1, 2) || e == Rational(-1, 2),
               let q = Polynomial.from(base, name, maxDegree: 2), q.degree == 2 {
                guard radicand == nil else { return nil }
                radicand = base
                half = e
            } else {
                rest.append(factor)
            }
        }
        guard let radicand, let q = Polynomial.from(radicand, name, maxDegree: 2),
              let p = Polynomial.from(.mul(rest), name, maxDegree: maxDegree), p.degree >= 1 else { return nil }
        let n = half.signum > 0 ? p * q : p
        let degree = n.degree
        // r[i] for i in 0..<degree; coefficient of x^m in R'Q + RQ'/2 is
        // m·q₂·r[m−1] + (m + 1/2)·q₁·r[m] + (m + 1)·q₀·r[m+1].
        var r = [Rational](repeating: .zero, count: degree + 1)
        func at(_ i: Int) -> Rational { i >= 0 && i < degree ? r[i] : .zero }
        var m = degree
        while m >= 1 {
            let known = (Rational(m) + Rational(1, 2)) * q[1] * at(m) + Rational(m + 1) * q[0] * at(m + 1)
            r[m - 1] = (n[m] - known) / (Rational(m) * q[2])
            m -= 1
        }
        let lambda = n[0] - Rational(1, 2) * q[1] * at(0) - q[0] * at(1)
        let rPolynomial = Polynomial(Array(r.prefix(degree)))
        var result = rPolynomial.expression(in: name) * .sqrt(radicand)
        if !lambda.isZero {
            guard let base = RadicalIntegration.integrate(.pow(radicand, .number(Rational(-1, 2))), integrator) else { return nil }
            result = result + .number(lambda) * base
        }
        integrator.record(.radical, f, result)
        return result
    }
}
