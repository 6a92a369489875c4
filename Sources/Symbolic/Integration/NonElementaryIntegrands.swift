import ExactMath

/// Recognises the classic integrands whose antiderivatives are not elementary (Liouville):
/// e^(p(x)), sin(p(x)), cos(p(x)), sinh, cosh for a polynomial p of degree ≥ 2 times a
/// polynomial q — only when `PolynomialKernelIntegration` proves that no r·e^p fits;
/// e^(ax)/xⁿ, sin(ax)/xⁿ, cos(ax)/xⁿ, sinh/cosh likewise; 1/ln(x); u^v for polynomials u, v
/// (xˣ). Only consulted after every
/// method failed, so e.g. x·e^(x²) (which has an antiderivative) never reaches it.
enum NonElementaryIntegrands {
    static func matches(_ f: Expr, _ variable: String) -> Bool {
        // Polynomials times e^p, sin p, … with deg p ≥ 2 (sums too): decided exactly.
        if let form = PolynomialKernelIntegration.form(of: f, variable) {
            return PolynomialKernelIntegration.antiderivative(form, variable) == nil
        }
        let factors = f.factors.filter { $0.contains(variable) }
        var transcendental: [Expr] = []
        var others: [Expr] = []
        for factor in factors {
            if isTranscendentalOfPolynomial(factor, variable) { transcendental.append(factor) } else { others.append(factor) }
        }
        if transcendental.count == 1 {
            let (_, degree) = innerPolynomial(transcendental[0], variable)
            // Degree ≥ 2 outside the decided family (another base, a non-polynomial factor): no claim.
            if degree >= 2 { return false }
            if degree == 1, !others.isEmpty, others.allSatisfy({ isNegativePowerOfLinear($0, variable) }) { return true }
        }
        if factors.count == 1, case .power(.function(.ln, let argument), .number(let e)) = factors[0],
           e.signum < 0, Polynomial.from(argument, variable).map({ $0.degree == 1 }) == true {
            return true
        }
        // u^v = e^(v·ln u) with polynomials u and v (x^x, (x + 1)^x, x^(x²)): the exponent's
        // derivative has degree 1 in ln u, so no r with r' + (v·ln u)'·r = 1 exists. Not for other
        // exponents: x^(1/ln x) is the constant e.
        if factors.count == 1, case .power(let base, let exponent) = factors[0],
           let u = Polynomial.from(base, variable, maxDegree: 16), u.degree >= 1,
           let v = Polynomial.from(exponent, variable, maxDegree: 16), v.degree >= 1 {
            return true
        }
        return false
    }

    private static func isTranscendentalOfPolynomial(_ factor: Expr, _ variable: String) -> Bool {
        innerPolynomial(factor, variable).1 >= 1
    }

    /// (true, degree of the inner polynomial) for e^p, sin p, cos p, sinh p, cosh p; (false, 0) otherwise.
    private static func innerPolynomial(_ factor: Expr, _ variable: String) -> (Bool, Int) {
        let inner: Expr
        switch factor {
        case .power(let base, let exponent) where !base.contains(variable): inner = exponent
        case .function(let function, let argument) where [.sin, .cos, .sinh, .cosh].contains(function): inner = argument
        default: return (false, 0)
        }
        guard let p = Polynomial.from(inner, variable, maxDegree: 16) else { return (false, 0) }
        return (true, p.degree)
    }

    private static func isNegativePowerOfLinear(_ factor: Expr, _ variable: String) -> Bool {
        guard case .power(let base, .number(let e)) = factor, e.signum < 0, e.isInteger,
              let p = Polynomial.from(base, variable, maxDegree: 1), p.degree == 1 else { return false }
        return true
    }
}
