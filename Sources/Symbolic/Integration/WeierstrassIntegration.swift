import ExactMath

/// 1/(a + b·cos v + c·sin v) with v linear: t = tan(v/2) turns it into the rational function
/// 2/((a + b) + 2c·t + (a − b)·t²). The antiderivative is valid on each interval where
/// tan(v/2) is continuous (between odd multiples of π in v).
enum WeierstrassIntegration {
    static func integrate(_ f: Expr, _ integrator: Integrator) throws(IntegrationFailure) -> Expr? {
        guard case .power(let denominator, .number(let power)) = f, power == Rational(-1) else { return nil }
        var a = Rational.zero, b = Rational.zero, c = Rational.zero
        var argument: Expr?
        for term in denominator.terms {
            let (coefficient, rest) = term.coefficientAndRest
            switch rest {
            case .number: a = a + coefficient
            case .function(let function, let v) where function == .cos || function == .sin:
                if let existing = argument, existing != v { return nil }
                argument = v
                if function == .cos { b = b + coefficient } else { c = c + coefficient }
            default: return nil
            }
        }
        guard let v = argument, let (slope, _) = integrator.linear(v), !a.isZero else { return nil }
        let t = Expr.symbol(TrigIntegration.helper)
        let rational = Expr.int(2) / (.number(a + b) + .number(Rational(2) * c) * t + .number(a - b) * .pow(t, .int(2)))
        guard let inner = try RationalIntegration.integrate(rational, by: Integrator(variable: TrigIntegration.helper, deadline: integrator.deadline)) else { return nil }
        let result = inner.substituting(t, with: .apply(.tan, v / .int(2))) / .number(slope)
        integrator.record(.weierstrass, f, result)
        return result
    }
}
