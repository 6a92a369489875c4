import ExactMath

/// e^(αx+β)·sin(γx+δ) and e^(αx+β)·cos(γx+δ): integrating by parts twice returns the integral
/// itself, which solves to the closed forms used here.
enum ExpTrigIntegration {
    static func integrate(_ f: Expr, _ integrator: Integrator) -> Expr? {
        let factors = f.factors
        guard factors.count == 2 else { return nil }
        var exponential: Expr?
        var trig: (ElementaryFunction, Expr)?
        for factor in factors {
            if case .power(.constant(.e), let exponent) = factor, integrator.linear(exponent) != nil {
                exponential = factor
            } else if case .function(let function, let v) = factor, function == .sin || function == .cos, integrator.linear(v) != nil {
                trig = (function, v)
            }
        }
        guard let exponential, let (function, v) = trig, case .power(_, let exponent) = exponential,
              let (alpha, _) = integrator.linear(exponent), let (gamma, _) = integrator.linear(v) else { return nil }
        let denominator = Expr.number(alpha * alpha + gamma * gamma)
        let sine = Expr.apply(.sin, v)
        let cosine = Expr.apply(.cos, v)
        let a = Expr.number(alpha)
        let g = Expr.number(gamma)
        let combination = function == .sin ? a * sine - g * cosine : a * cosine + g * sine
        let result = exponential * combination / denominator
        integrator.record(.expTrig, f, result)
        return result
    }
}
