import ExactMath

/// Powers and products of sinh and cosh (`sinh² x`, `cosh³ x`, `x·cosh² x`): with
/// sinh u = (e^u − e^(−u))/2 and cosh u = (e^u + e^(−u))/2 the integrand expands into
/// exponentials of linear arguments (times what else was there), which the table and
/// integration by parts finish. The answer is written in exponentials.
enum HyperbolicExpansion {
    static func integrate(_ f: Expr, _ integrator: Integrator) throws(IntegrationFailure) -> Expr? {
        var degree = 0
        for factor in f.factors {
            let (base, exponent) = factor.baseAndExponent
            guard case .function(let function, let u) = base, function == .sinh || function == .cosh else { continue }
            guard integrator.linear(u) != nil, let n = exponent.rationalValue, n.isInteger, n.signum > 0, let k = n.numerator.intValue else { return nil }
            degree += k
        }
        guard degree >= 2, degree <= 12 else { return nil }
        let rewritten = Expansion.expand(exponentials(f))
        guard rewritten != f else { return nil }
        integrator.record(.expansion, f, rewritten)
        return try integrator.integrate(rewritten)
    }

    static func exponentials(_ e: Expr) -> Expr {
        switch e {
        case .number, .constant, .symbol: return e
        case .sum(let terms): return .add(terms.map(exponentials))
        case .product(let factors): return .mul(factors.map(exponentials))
        case .power(let base, let exponent): return .pow(exponentials(base), exponentials(exponent))
        case .function(let function, let argument):
            let u = exponentials(argument)
            switch function {
            case .sinh: return (.exp(u) - .exp(-u)) / .int(2)
            case .cosh: return (.exp(u) + .exp(-u)) / .int(2)
            default: return .apply(function, u)
            }
        }
    }
}
