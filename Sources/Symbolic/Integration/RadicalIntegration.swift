import ExactMath

/// √(αx² + βx + γ) and 1/√(αx² + βx + γ): completing the square t = x + β/(2α) gives the
/// forms √(k − t²) (arcsine) and √(t² ± k) (logarithm), the results of the trigonometric and
/// hyperbolic substitutions.
enum RadicalIntegration {
    static func integrate(_ f: Expr, _ integrator: Integrator) -> Expr? {
        guard case .power(let radicand, .number(let exponent)) = f,
              exponent == Rational(1, 2) || exponent == Rational(-1, 2),
              let q = Polynomial.from(radicand, integrator.variable, maxDegree: 2), q.degree == 2 else { return nil }
        let alpha = q[2], beta = q[1], gamma = q[0]
        let shift = beta / (Rational(2) * alpha)
        let t = integrator.x + .number(shift)
        let delta = gamma - beta * beta / (Rational(4) * alpha)
        let root = Expr.sqrt(radicand)
        let result: Expr
        if alpha.signum > 0 {
            let k = delta / alpha  // radicand = α(t² + k)
            guard !k.isZero else { return nil }
            let sqrtAlpha = Expr.sqrt(.number(alpha))
            // √(t² + k) = root/√α
            let logarithm = Expr.ln(.apply(.abs, t + root / sqrtAlpha))
            if exponent.signum > 0 {
                result = t * root / .int(2) + sqrtAlpha * .number(k / Rational(2)) * logarithm
            } else {
                result = logarithm / sqrtAlpha
            }
        } else {
            let k = delta / -alpha  // radicand = −α(k − t²)
            guard k.signum > 0 else { return nil }
            let sqrtMinusAlpha = Expr.sqrt(.number(-alpha))
            let arcsine = Expr.apply(.asin, t / .sqrt(.number(k)))
            if exponent.signum > 0 {
                result = t * root / .int(2) + sqrtMinusAlpha * .number(k / Rational(2)) * arcsine
            } else {
                result = arcsine / sqrtMinusAlpha
            }
        }
        integrator.record(.radical, f, result)
        return result
    }
}
