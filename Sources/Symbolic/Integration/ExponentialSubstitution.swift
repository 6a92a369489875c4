import ExactMath

/// ∫ F(B^(a·x)) dx for a constant base B > 0 (usually e) when x occurs only in exponents
/// c·x + d of that base: with t = B^(a·x), a the gcd of the slopes c, every B^(c·x + d) is
/// B^d·t^(c/a) and dx = dt / (a·ln B·t), which leaves an integral in t alone — rational for
/// e^x/(1 + e^(2x)) or 1/(e^x + e^(−x)), where `SubstitutionIntegration` sees no inner function
/// whose derivative is present because e^(2x) is not literally (e^x)². Numeric bases that are
/// powers of one number count as that number (4^x = 2^(2x), (1/2)^x = 2^(−x)). Correct by the
/// chain rule whenever the integral in t is; otherwise it declines.
enum ExponentialSubstitution {
    static let helper = "__t"

    static func integrate(_ f: Expr, _ integrator: Integrator) throws(IntegrationFailure) -> Expr? {
        let variable = integrator.variable
        guard let (integrand, base, slope) = substituted(f, integrator),
              !integrand.contains(variable), let inner = try integrator.integrate(integrand, in: helper) else { return nil }
        let t = Expr.symbol(helper)
        let result = inner.substituting(t, with: .pow(base, .number(slope) * integrator.x))
        integrator.record(.exponentialSubstitution, f, result)
        return result
    }

    /// The integrand in t = B^(a·x) (in the variable `helper`), with B and a; nil when f is not a
    /// function of one exponential. Also how `Integrator` proves a refusal: t = B^(a·x) is an
    /// elementary change of variables with an elementary inverse, so when the integral in t has
    /// no elementary antiderivative (∫ sin(t)/t for sin(eˣ)), neither has f.
    static func substituted(_ f: Expr, _ integrator: Integrator) -> (integrand: Expr, base: Expr, slope: Rational)? {
        let variable = integrator.variable
        guard let (base, slope) = commonExponential(f, integrator) else { return nil }
        let t = Expr.symbol(helper)
        func rewrite(_ e: Expr) -> Expr {
            switch e {
            case .power(let b, let exponent) where exponent.contains(variable):
                // Checked by `commonExponential`: b is the base and the exponent is c·x + d.
                guard let (c, d) = integrator.linear(exponent) else { return e }
                return .pow(b, .number(d)) * .pow(t, .number(c * Rational(primitive(b).power) / slope))
            default: return e.mappingChildren(rewrite) ?? e
            }
        }
        let logBase: Expr = base == .e ? .one : .ln(base)
        let integrand = rewrite(f) / (.number(slope) * logBase * t)
        guard !integrand.contains(variable) else { return nil }
        return (integrand, base, slope)
    }

    /// The one base B and the slope a = ± the gcd of every exponent's coefficient of x (negative
    /// when every coefficient is), when x occurs only in exponents c·x + d (c, d rational) of
    /// powers of B.
    static func commonExponential(_ f: Expr, _ integrator: Integrator) -> (base: Expr, slope: Rational)? {
        let variable = integrator.variable
        var base: Expr?
        var slopes: [Rational] = []
        func admissible(_ e: Expr) -> Bool {
            switch e {
            case .power(let b, let exponent) where exponent.contains(variable):
                guard isPositiveConstant(b), let (c, _) = integrator.linear(exponent) else { return false }
                let (root, power) = primitive(b)
                guard base == nil || base == root else { return false }
                base = root
                slopes.append(c * Rational(power))
                return true
            case .power(let b, let exponent): return admissible(b) && admissible(exponent)
            case .sum(let items), .product(let items): return items.allSatisfy(admissible)
            case .function(_, let argument): return admissible(argument)
            case .symbol(let name): return name != variable
            case .number, .constant: return true
            }
        }
        guard admissible(f), let base, let magnitude = positiveGCD(slopes) else { return nil }
        // Only decaying exponentials (sin(e^(−4x))): t = B^(−a·x), so the integrand in t has
        // t where f had B^(−a·x) (sin(t)/t, which the t-integrator knows to be non-elementary)
        // instead of 1/t (sin(1/t)/t, which it does not).
        return (base, slopes.allSatisfy { $0.signum < 0 } ? -magnitude : magnitude)
    }

    /// The number r > 1 (or e, π) with b = r^k for the largest k: 8 → (2, 3), 1/4 → (2, −2).
    static func primitive(_ b: Expr) -> (root: Expr, power: Int) {
        guard case .number(let value) = b, value.signum > 0, value != .one else { return (b, 1) }
        let sign = value < .one ? -1 : 1
        let above = sign < 0 ? Rational(value.denominator, value.numerator) : value
        for k in stride(from: 64, through: 2, by: -1) {
            if let top = above.numerator.exactRoot(UInt(k)), let bottom = above.denominator.exactRoot(UInt(k)) {
                return (.number(Rational(top, bottom)), sign * k)
            }
        }
        return (.number(above), sign)
    }

    /// e, π or a positive rational other than 1.
    static func isPositiveConstant(_ e: Expr) -> Bool {
        switch e {
        case .constant: return true
        case .number(let value): return value.signum > 0 && value != .one
        default: return false
        }
    }

    /// gcd(p_i)/lcm(q_i) of the |slopes|: every slope is an integer multiple of it.
    static func positiveGCD(_ slopes: [Rational]) -> Rational? {
        guard let first = slopes.first, !first.isZero else { return nil }
        var numerator = first.numerator.magnitude
        var denominator = first.denominator
        for slope in slopes.dropFirst() {
            guard !slope.isZero else { return nil }
            numerator = BigInt.gcd(numerator, slope.numerator.magnitude)
            denominator = BigInt.lcm(denominator, slope.denominator)
        }
        return Rational(numerator, denominator)
    }
}
