import ExactMath

/// Two textbook forms around √(αx² + γ) (no linear term):
/// - ∫ 1/(x²·√(αx² + γ)) = −√(αx² + γ)/(γ·x), as differentiating shows
///   ((αx² − (αx² + γ))/(γx²√Q) · (−1) = 1/(x²√Q));
/// - ∫ ln(x + √(x² + c)) = x·ln(x + √(x² + c)) − √(x² + c), by parts with
///   d/dx ln(x + √(x² + c)) = 1/√(x² + c) (the inverse hyperbolic sine when c = 1), a
///   simplification the generic parts rule does not see.
enum InverseHyperbolicForms {
    static func integrate(_ f: Expr, _ integrator: Integrator) -> Expr? {
        let name = integrator.variable
        let x = integrator.x
        // ln(x + √(x² + c))
        if case .function(.ln, let argument) = f, case .sum(let terms) = argument, terms.count == 2,
           terms.contains(x), let radical = terms.first(where: { $0 != x }),
           case .power(let radicand, .number(let half)) = radical, half == Rational(1, 2),
           let q = Polynomial.from(radicand, name, maxDegree: 2), q.degree == 2, q[2] == .one, q[1].isZero, !q[0].isZero {
            let result = x * f - radical
            integrator.record(.byParts, f, result)
            return result
        }
        // x^(−2)·(αx² + γ)^(−1/2)
        var radicand: Expr?
        var reciprocalSquare = false
        for factor in f.factors {
            if case .power(let base, .number(let e)) = factor, e == Rational(-1, 2), Polynomial.from(base, name, maxDegree: 2)?.degree == 2, radicand == nil {
                radicand = base
            } else if factor == .pow(x, .int(-2)), !reciprocalSquare {
                reciprocalSquare = true
            } else {
                return nil
            }
        }
        guard reciprocalSquare, let radicand, let q = Polynomial.from(radicand, name, maxDegree: 2), q[1].isZero, !q[0].isZero else { return nil }
        let result = -.sqrt(radicand) / (.number(q[0]) * x)
        integrator.record(.radical, f, result)
        return result
    }
}
