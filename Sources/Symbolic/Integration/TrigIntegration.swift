import ExactMath

/// Products of powers of the six trig functions of one linear argument u, as sinᵐ(u)·cosⁿ(u):
/// an odd power of sin (or cos) substitutes c = cos u (or s = sin u) and leaves a rational
/// function; even non-negative powers use the reduction formulas; negative even powers of cos
/// (sec/tan powers) substitute t = tan u, and of sin (csc/cot powers) t = cot u.
enum TrigIntegration {
    static let maxPower = 64
    static let helper = "__t"

    static func integrate(_ f: Expr, _ integrator: Integrator) throws(IntegrationFailure) -> Expr? {
        var sinPower = 0
        var cosPower = 0
        var argument: Expr?
        var sawSecOrTan = false
        for factor in f.factors {
            let (base, exponent) = factor.baseAndExponent
            guard case .function(let function, let u) = base, let e = exponent.rationalValue, e.isInteger,
                  let n = e.numerator.intValue, Swift.abs(n) <= maxPower else { return nil }
            if let existing = argument, existing != u { return nil }
            argument = u
            switch function {
            case .sin: sinPower += n
            case .cos: cosPower += n
            case .tan: sinPower += n; cosPower -= n; sawSecOrTan = true
            case .cot: sinPower -= n; cosPower += n
            case .sec: cosPower -= n; sawSecOrTan = true
            case .csc: sinPower -= n
            default: return nil
            }
        }
        guard let u = argument, let (a, _) = integrator.linear(u) else { return nil }
        guard let primitive = try sinCos(sinPower, cosPower, u, integrator) else { return nil }
        let result = primitive / .number(a)
        integrator.record(sawSecOrTan ? .secTanPowers : .trigPowers, f, result)
        return result
    }

    /// ∫ sinᵐ(u)·cosⁿ(u) du.
    static func sinCos(_ m: Int, _ n: Int, _ u: Expr, _ integrator: Integrator) throws(IntegrationFailure) -> Expr? {
        do { try integrator.deadline?.check() } catch { throw .timeout }
        let t = Expr.symbol(helper)
        let s = Expr.apply(.sin, u)
        let c = Expr.apply(.cos, u)
        if m == 0 && n == 0 { return u }
        if m % 2 != 0 {
            // sinᵐ cosⁿ du = −(1 − c²)^((m−1)/2)·cⁿ dc with c = cos u.
            let integrand = -(Expr.pow(.one - .pow(t, .int(2)), .number(Rational(m - 1, 2))) * .pow(t, .int(n)))
            guard let inner = try RationalIntegration.integrate(integrand, by: Integrator(variable: helper, deadline: integrator.deadline)) else { return nil }
            return inner.substituting(t, with: c)
        }
        if n % 2 != 0 {
            // sinᵐ cosⁿ du = (1 − s²)^((n−1)/2)·sᵐ ds with s = sin u.
            let integrand = Expr.pow(.one - .pow(t, .int(2)), .number(Rational(n - 1, 2))) * .pow(t, .int(m))
            guard let inner = try RationalIntegration.integrate(integrand, by: Integrator(variable: helper, deadline: integrator.deadline)) else { return nil }
            return inner.substituting(t, with: s)
        }
        // Both even.
        if m >= 0 && n >= 0 {
            if n >= 2 {
                // ∫ sᵐcⁿ = s^(m+1)c^(n−1)/(m+n) + (n−1)/(m+n)·∫ sᵐc^(n−2)
                guard let rest = try sinCos(m, n - 2, u, integrator) else { return nil }
                return .pow(s, .int(m + 1)) * .pow(c, .int(n - 1)) / .int(m + n) + .number(Rational(n - 1, m + n)) * rest
            }
            // ∫ sᵐ = −s^(m−1)c/m + (m−1)/m·∫ s^(m−2)
            guard let rest = try sinCos(m - 2, 0, u, integrator) else { return nil }
            return -(Expr.pow(s, .int(m - 1)) * c) / .int(m) + .number(Rational(m - 1, m)) * rest
        }
        if m < 0 && n < 0 {
            // 1 = sin² + cos² raises one power until one is non-negative.
            guard let first = try sinCos(m + 2, n, u, integrator), let second = try sinCos(m, n + 2, u, integrator) else { return nil }
            return first + second
        }
        if n < 0 {
            // sinᵐ = (1 − cos²)^(m/2): a sum of cosine powers; negative ones are sec powers.
            var parts: [Expr] = []
            for j in 0...(m / 2) {
                let coefficient = Rational(binomial(m / 2, j) * (j % 2 == 0 ? 1 : -1))
                guard let piece = try cosinePower(n + 2 * j, u, integrator) else { return nil }
                parts.append(.number(coefficient) * piece)
            }
            return .add(parts)
        }
        // m < 0 ≤ n: cosⁿ = (1 − sin²)^(n/2), negative sine powers are csc powers.
        var parts: [Expr] = []
        for j in 0...(n / 2) {
            let coefficient = Rational(binomial(n / 2, j) * (j % 2 == 0 ? 1 : -1))
            guard let piece = try sinePower(m + 2 * j, u, integrator) else { return nil }
            parts.append(.number(coefficient) * piece)
        }
        return .add(parts)
    }

    /// ∫ cosᵏ(u) du for even k; k < 0 through t = tan u: sec^(2j) du = (1 + t²)^(j−1) dt.
    private static func cosinePower(_ k: Int, _ u: Expr, _ integrator: Integrator) throws(IntegrationFailure) -> Expr? {
        if k >= 0 { return try sinCos(0, k, u, integrator) }
        let j = -k / 2
        let t = Expr.symbol(helper)
        let polynomial = Expr.pow(.one + .pow(t, .int(2)), .int(j - 1))
        guard let inner = try RationalIntegration.integrate(polynomial, by: Integrator(variable: helper, deadline: integrator.deadline)) else { return nil }
        return inner.substituting(t, with: .apply(.tan, u))
    }

    /// ∫ sinᵏ(u) du for even k; k < 0 through t = cot u: csc^(2j) du = −(1 + t²)^(j−1) dt.
    private static func sinePower(_ k: Int, _ u: Expr, _ integrator: Integrator) throws(IntegrationFailure) -> Expr? {
        if k >= 0 { return try sinCos(k, 0, u, integrator) }
        let j = -k / 2
        let t = Expr.symbol(helper)
        let polynomial = -Expr.pow(.one + .pow(t, .int(2)), .int(j - 1))
        guard let inner = try RationalIntegration.integrate(polynomial, by: Integrator(variable: helper, deadline: integrator.deadline)) else { return nil }
        return inner.substituting(t, with: .apply(.cot, u))
    }

    static func binomial(_ n: Int, _ k: Int) -> Int {
        var result = 1
        for i in 0..<k { result = result * (n - i) / (i + 1) }
        return result
    }
}
