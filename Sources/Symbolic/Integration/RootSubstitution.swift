import ExactMath

/// ∫ R(x, (ax + b)^(p₁/q₁), (ax + b)^(p₂/q₂), …) dx for one linear radicand: with
/// t = (ax + b)^(1/n), n the lcm of the qᵢ, every (ax + b)^(p/q) is t^(pn/q), x is (tⁿ − b)/a and
/// dx = n·t^(n−1)/a dt, which leaves a rational integral in t — `1/(1 + √x)`, `√x/(1 + x)`,
/// `1/(√x + ∛x)`, `x/√(x + 1)`. Correct by the chain rule whenever the integral in t is;
/// otherwise it declines.
enum RootSubstitution {
    static let helper = "__r"
    /// Beyond this many roots the rational integral in t gets large for little gain.
    static let maxIndex = 12

    static func integrate(_ f: Expr, _ integrator: Integrator) throws(IntegrationFailure) -> Expr? {
        let variable = integrator.variable
        guard let (radicand, n) = commonRadicand(f, integrator), let (a, b) = integrator.linear(radicand) else { return nil }
        let t = Expr.symbol(helper)
        let index = Rational(n)
        let xInT = (.pow(t, .number(index)) - .number(b)) / .number(a)
        func rewrite(_ e: Expr) -> Expr {
            switch e {
            case .power(let base, .number(let exponent)) where base == radicand && !exponent.isInteger:
                return .pow(t, .number(exponent * index))
            case .symbol(let name) where name == variable: return xInT
            default: return e.mappingChildren(rewrite) ?? e
            }
        }
        let integrand = rewrite(f) * .number(index / a) * .pow(t, .number(index - Rational(1)))
        guard !integrand.contains(variable), let inner = try integrator.integrate(integrand, in: helper) else { return nil }
        let result = inner.substituting(t, with: .pow(radicand, .number(Rational(1, n))))
        integrator.record(.rootSubstitution, f, result)
        return result
    }

    /// The one linear radicand under non-integer powers, and n = lcm of their denominators,
    /// when x occurs nowhere else than in it and as plain x (no x in exponents or functions).
    static func commonRadicand(_ f: Expr, _ integrator: Integrator) -> (radicand: Expr, index: Int)? {
        let variable = integrator.variable
        var radicand: Expr?
        var index = BigInt.one
        func admissible(_ e: Expr) -> Bool {
            switch e {
            case .power(let base, let exponent):
                if exponent.contains(variable) { return false }
                if base.contains(variable), case .number(let power) = exponent, !power.isInteger {
                    guard integrator.linear(base) != nil, radicand == nil || radicand == base else { return false }
                    radicand = base
                    index = BigInt.lcm(index, power.denominator)
                    return true
                }
                return admissible(base) && admissible(exponent)
            case .function(_, let argument): return !argument.contains(variable)
            case .sum(let items), .product(let items): return items.allSatisfy(admissible)
            case .number, .constant, .symbol: return true
            }
        }
        guard admissible(f), let radicand, let n = index.intValue, n > 1, n <= maxIndex else { return nil }
        return (radicand, n)
    }
}
