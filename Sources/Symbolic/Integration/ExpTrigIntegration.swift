import ExactMath

/// B^(αx+β)·sin(γx+δ) and B^(αx+β)·cos(γx+δ) for a positive constant B (e, 2, …): integrating
/// by parts twice returns the integral itself, which solves to the closed forms used here with
/// a = α·ln B. Squares of sin and cos go through sin² v = (1 − cos 2v)/2 first (`e^x·sin² x`).
enum ExpTrigIntegration {
    /// The exponential factor B^(linear) and its rate α·ln B.
    static func exponential(_ factor: Expr, _ integrator: Integrator) -> (rate: Expr, factor: Expr)? {
        guard case .power(let base, let exponent) = factor, !base.contains(integrator.variable),
              let (alpha, _) = integrator.linear(exponent) else { return nil }
        if base == .e { return (.number(alpha), factor) }
        guard let b = NumericEvaluator.evaluate(base), b > 0, b != 1 else { return nil }
        return (.number(alpha) * .ln(base), factor)
    }

    static func integrate(_ f: Expr, _ integrator: Integrator) -> Expr? {
        let factors = f.factors
        guard factors.count == 2 else { return nil }
        var exponentialPart: (rate: Expr, factor: Expr)?
        var trig: (ElementaryFunction, Expr)?
        for factor in factors {
            if let part = exponential(factor, integrator) {
                exponentialPart = part
            } else if case .function(let function, let v) = factor, function == .sin || function == .cos, integrator.linear(v) != nil {
                trig = (function, v)
            }
        }
        guard let (a, exponentialFactor) = exponentialPart, let (function, v) = trig,
              let (gamma, _) = integrator.linear(v) else { return nil }
        let g = Expr.number(gamma)
        let denominator = a * a + g * g
        let sine = Expr.apply(.sin, v)
        let cosine = Expr.apply(.cos, v)
        let combination = function == .sin ? a * sine - g * cosine : a * cosine + g * sine
        let result = exponentialFactor * combination / denominator
        integrator.record(.expTrig, f, result)
        return result
    }

    /// B^(linear)·sin² v or ·cos² v: halve the angle's power, then the rule above term by term.
    static func squared(_ f: Expr, _ integrator: Integrator) throws(IntegrationFailure) -> Expr? {
        let factors = f.factors
        guard factors.count == 2 else { return nil }
        var exponentialFactor: Expr?
        var square: (ElementaryFunction, Expr)?
        for factor in factors {
            if exponential(factor, integrator) != nil {
                exponentialFactor = factor
            } else if case .power(.function(let function, let v), .number(let two)) = factor, two == Rational(2),
                      function == .sin || function == .cos, integrator.linear(v) != nil {
                square = (function, v)
            }
        }
        guard let exponentialFactor, let (function, v) = square else { return nil }
        let doubled = Expr.apply(.cos, .int(2) * v)
        let halved = function == .sin ? (.one - doubled) / .int(2) : (.one + doubled) / .int(2)
        let rewritten = Expansion.expand(exponentialFactor * halved)
        guard rewritten != f else { return nil }
        integrator.record(.expansion, f, rewritten)
        return try integrator.integrate(rewritten)
    }
}
