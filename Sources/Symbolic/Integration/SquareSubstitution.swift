import ExactMath

/// ∫ x·g(x²) dx = ½ ∫ g(w) dw with w = x², when the integrand divided by x mentions x only
/// through even powers: x³·√(1 + x²), x⁵·e^(x²), x/√(1 − x⁴). `SubstitutionIntegration` finds
/// these only when x² sits inside one literal inner function; here the rest (x², x⁴, …) is
/// rewritten in w first. Correct by the chain rule whenever the integral in w is.
enum SquareSubstitution {
    static let helper = "__w"

    static func integrate(_ f: Expr, _ integrator: Integrator) throws(IntegrationFailure) -> Expr? {
        let x = integrator.x
        guard let g = inSquares(f / x, integrator.variable) else { return nil }
        guard let inner = try integrator.integrate(g * .half, in: helper) else { return nil }
        let result = inner.substituting(.symbol(helper), with: .pow(x, .int(2)))
        integrator.record(.squareSubstitution, f, result)
        return result
    }

    /// `e` with every x^(2k) written as w^k, or nil when x occurs in any other way.
    static func inSquares(_ e: Expr, _ variable: String) -> Expr? {
        guard e.contains(variable) else { return e }
        switch e {
        case .power(.symbol(let name), .number(let power)) where name == variable:
            guard power.isInteger, power.numerator.remainder(modulo: 2) == 0 else { return nil }
            return .pow(.symbol(helper), .number(power * Rational(1, 2)))
        case .symbol:
            return nil  // plain x: an odd power
        default:
            return e.mappingChildren { inSquares($0, variable) }
        }
    }
}
