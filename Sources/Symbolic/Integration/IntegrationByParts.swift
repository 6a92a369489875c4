import ExactMath

/// ∫ u dv = u·v − ∫ v du, choosing u by LIATE: a logarithm or an inverse trig function first
/// (alone, dv = dx), then a power of x against an exponential, trig or hyperbolic factor, a
/// power of sin or cos, or tan², sec² and their kin (repeated, so xⁿ·e^(ax) takes n rounds),
/// and xʳ·ln(x) for any rational r.
enum IntegrationByParts {
    static func integrate(_ f: Expr, _ integrator: Integrator) throws(IntegrationFailure) -> Expr? {
        let variable = integrator.variable
        let factors = f.factors
        var uIndex: Int?
        var bestRank = Int.max
        for (index, factor) in factors.enumerated() {
            let rank = liateRank(factor, variable)
            if rank < bestRank {
                bestRank = rank
                uIndex = index
            }
        }
        guard let index = uIndex, bestRank <= 2 else { return nil }
        let u = factors[index]
        var rest = factors
        rest.remove(at: index)
        let dv = Expr.mul(rest)
        // Algebraic u only pays off against a factor that integrates without growing.
        if bestRank == 2 {
            guard !rest.isEmpty, rest.allSatisfy({ isTranscendentalOfLinear($0, integrator) }) else { return nil }
        }
        guard let v = try integrator.integrate(dv) else { return nil }
        guard let du = try? Differentiator.derivative(u, variable) else { return nil }
        guard let remaining = try integrator.integrate(v * du) else { return nil }
        let result = u * v - remaining
        integrator.record(.byParts, f, result)
        return result
    }

    /// 0: logarithm (or a power of one); 1: inverse trig; 2: a positive integer power of x; ∞ otherwise.
    static func liateRank(_ factor: Expr, _ variable: String) -> Int {
        let (base, exponent) = factor.baseAndExponent
        switch base {
        case .function(.ln, let argument) where argument.contains(variable):
            if let e = exponent.rationalValue, e.isInteger, e.signum > 0 { return 0 }
        case .function(let function, _) where [.asin, .acos, .atan].contains(function):
            if exponent.isOne { return 1 }
        case .symbol(let name) where name == variable:
            if let e = exponent.rationalValue, e.isInteger, e.signum > 0 { return 2 }
        default:
            break
        }
        return Int.max
    }

    /// Factors whose repeated integrals stay elementary and no larger, so that xⁿ against them
    /// ends after n rounds: exponentials and sin/cos/sinh/cosh of a linear argument, powers of
    /// sin and cos (x·sin²x), and the squares tan², cot², sec², csc² (x·tan²x, x/cos²x).
    private static func isTranscendentalOfLinear(_ factor: Expr, _ integrator: Integrator) -> Bool {
        switch factor {
        case .power(.function(let function, let argument), .number(let power)):
            guard integrator.linear(argument) != nil, power.isInteger else { return false }
            switch function {
            case .sin, .cos: return power == Rational(-2) || (power.signum > 0 && power <= Rational(8))
            case .tan, .cot, .sec, .csc: return power == Rational(2)
            default: return false
            }
        case .power(let base, let exponent):
            return !base.contains(integrator.variable) && integrator.linear(exponent) != nil
        case .function(let function, let argument):
            return [.sin, .cos, .sinh, .cosh].contains(function) && integrator.linear(argument) != nil
        default:
            return false
        }
    }
}
