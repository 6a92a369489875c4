import ExactMath

/// √(αx² + βx + γ) and 1/√(αx² + βx + γ): completing the square t = x + β/(2α) gives the
/// forms √(k − t²) (arcsine) and √(t² ± k) (logarithm), the results of the trigonometric and
/// hyperbolic substitutions; a perfect square (`√(x² + 2x + 1)`) is √α·|t|.
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
            let sqrtAlpha = Expr.sqrt(.number(alpha))
            if k.isZero {
                // A perfect square: √(α·t²) = √α·|t|, so ∫ = √α·t·|t|/2, and ∫ 1/(√α·|t|) = sgn(t)·ln|t|/√α.
                let magnitude = Expr.apply(.abs, t)
                let perfect = exponent.signum > 0
                    ? sqrtAlpha * t * magnitude / .int(2)
                    : t / magnitude * .ln(magnitude) / sqrtAlpha
                integrator.record(.radical, f, perfect)
                return perfect
            }
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
