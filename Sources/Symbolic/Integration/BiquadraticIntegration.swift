import ExactMath

/// N(x)/(x⁴ + p·x² + q) with q > 0 when the quartic does not split over Q (`1/(x⁴ + 1)`,
/// `x²/(x⁴ + 1)`, `1/(x⁴ − x² + 4)`), without factoring over an extension field. With b = √q:
/// - the odd part x·(n₁ + n₃x²) is a function of w = x², (n₁ + n₃w)/(2(w² + pw + q));
/// - the even part n₀ + n₂x² = α(x² + b) + β(x² − b), and dividing by x² turns
///   (x² ± b)/(x⁴ + px² + q) into u'/(u² + p ± 2b) with u = x ∓ b/x, since b² = q.
/// Each piece is then ∫du/(u² + k): an arctangent, a logarithm or −1/u.
///
/// An arctangent of u = x ∓ b/x jumps by π/√k at x = 0, where the integrand is smooth: right on
/// each side, but not an antiderivative on ℝ, and a student who evaluates it at −1 and 1 gets a
/// wrong area. So no result contains one: when p < 2b, atan(u/√k) for u = x − b/x is, up to a
/// constant on each side of 0, atan((2x + s)/√k) + atan((2x − s)/√k) with s = √(2b − p) (the
/// quartic is (x² + sx + b)(x² − sx + b)); when p > 2b the quartic is (x² + r₁)(x² + r₂) over
/// the reals and the even part splits into c₁/(x² + r₁) + c₂/(x² + r₂), two arctangents of x/√rᵢ.
enum BiquadraticIntegration {
    static func integrate(_ numerator: Polynomial, _ denominator: Polynomial, _ integrator: Integrator) -> Expr? {
        guard denominator.degree == 4, numerator.degree <= 3, denominator[3].isZero, denominator[1].isZero else { return nil }
        let lead = denominator[4]
        let p = denominator[2] / lead, q = denominator[0] / lead
        guard q.signum > 0 else { return nil }
        let n = (0...3).map { numerator[$0] / lead }
        let x = integrator.x
        let b = Expr.sqrt(.number(q))
        var pieces: [Expr] = []
        // Odd part: w = x², ∫ (n₁ + n₃w)/(2(w² + pw + q)) dw.
        if !n[1].isZero || !n[3].isZero {
            let w = Expr.pow(x, .int(2))
            let quadratic = w * w + .number(p) * w + .number(q)
            var odd: [Expr] = []
            if !n[3].isZero { odd.append(.number(n[3] / Rational(4)) * .ln(quadratic)) }
            let rest = (n[1] - n[3] * p / Rational(2)) / Rational(2)
            if !rest.isZero {
                guard let piece = reciprocalQuadratic(w + .number(p / Rational(2)), .number(q - p * p / Rational(4))) else { return nil }
                odd.append(.number(rest) * piece)
            }
            pieces += odd
        }
        // Even part over a quartic (x² + r₁)(x² + r₂): c₁/(x² + r₁) + c₂/(x² + r₂).
        if p.signum > 0 && p * p > Rational(4) * q && (!n[0].isZero || !n[2].isZero) {
            let root = Expr.sqrt(.number(p * p - Rational(4) * q))
            let r1 = (Expr.number(p) - root) / .int(2), r2 = (Expr.number(p) + root) / .int(2)
            let c1 = (Expr.number(n[0]) - .number(n[2]) * r1) / root
            let c2 = (Expr.number(n[2]) * r2 - .number(n[0])) / root
            // √r₁,₂ = (√(p + 2b) ∓ √(p − 2b))/2 (r₁·r₂ = b²): denested when b is rational.
            var roots = [Expr.sqrt(r1), .sqrt(r2)]
            if b.rationalValue != nil {
                let plus = Expr.sqrt(.number(p) + .int(2) * b), minus = Expr.sqrt(.number(p) - .int(2) * b)
                roots = [(plus - minus) / .int(2), (plus + minus) / .int(2)]
            }
            for (c, rootOfR) in zip([c1, c2], roots) where !c.isZero {
                pieces.append(c / rootOfR * .apply(.atan, x / rootOfR))
            }
            return .add(pieces)
        }
        // Even part: α(x² + b) + β(x² − b) with α + β = n₂, (α − β)·b = n₀.
        if !n[0].isZero || !n[2].isZero {
            let alpha = (Expr.number(n[2]) + .number(n[0]) / b) / .int(2)
            let beta = (Expr.number(n[2]) - .number(n[0]) / b) / .int(2)
            let square = Expr.pow(x, .int(2))
            for (coefficient, u, ux, k) in [(alpha, x - b / x, square - b, Expr.number(p) + .int(2) * b), (beta, x + b / x, square + b, Expr.number(p) - .int(2) * b)] {
                if coefficient.isZero { continue }
                if ux == square - b, let value = NumericEvaluator.evaluate(k), value > 0 {
                    // Here p < 2b (p > 2b returned above, p = 2b factors over Q): continuous form.
                    let s = Expr.sqrt(.int(2) * b - .number(p)), t = Expr.sqrt(k)
                    let slope = Expr.int(2) / t, shift = s / t
                    pieces.append(coefficient / t * .apply(.atan, slope * x + shift))
                    pieces.append(coefficient / t * .apply(.atan, slope * x - shift))
                    continue
                }
                guard let piece = reciprocalQuadratic(u, k, timesX: ux, x: x) else { return nil }
                pieces.append(coefficient * piece)
            }
        }
        return .add(pieces)
    }

    /// ∫ du/(u² + k) in terms of u (u' is already accounted for by the caller). When u = ux/x,
    /// the logarithm's argument (u − r)/(u + r) is written (ux − r·x)/(ux + r·x), the same for
    /// x ≠ 0 and continuous through x = 0, so a definite integral has no false cut there.
    static func reciprocalQuadratic(_ u: Expr, _ k: Expr, timesX ux: Expr? = nil, x: Expr? = nil) -> Expr? {
        if k.isZero { return -.pow(u, .minusOne) }
        guard let value = NumericEvaluator.evaluate(k), value != 0 else { return nil }
        if value > 0 {
            let root = Expr.sqrt(k)
            return .apply(.atan, u / root) / root
        }
        let root = Expr.sqrt(-k)
        if let ux, let x {
            return .ln(.apply(.abs, (ux - root * x) / (ux + root * x))) / (.int(2) * root)
        }
        return .ln(.apply(.abs, (u - root) / (u + root))) / (.int(2) * root)
    }
}
