import ExactMath

/// Finds antiderivatives by a fixed sequence of methods, each of which either proves its answer
/// by construction or declines: linearity, the power rule and the standard table (also of a
/// linear argument), rational functions (division, u'/u, partial fractions over Q), powers and
/// products of trig functions (product-to-sum for different arguments), e^(ax)·sin/cos(bx), the Weierstrass substitution, the square-root
/// forms, substitution when the inner derivative is present, t = e^(ax) for functions of
/// e^(ax), t = ⁿ√(ax + b) for rational functions of x and roots of ax + b, w = x² for x times a
/// function of x², integration by parts, t = ln x for functions of ln x,
/// and expansion of products. What nothing covers is reported, never guessed.
///
/// Antiderivatives are given without the constant of integration; `ln` of an absolute value
/// wherever the argument may be negative.
public final class Integrator {
    public let variable: String
    let deadline: Deadline?
    public private(set) var steps: [IntegrationStep] = []
    private var depth = 0
    static let maxDepth = 16
    static let maxSteps = 60

    public init(variable: String, deadline: Deadline? = nil) {
        self.variable = variable
        self.deadline = deadline
    }

    var x: Expr { .symbol(variable) }

    /// An antiderivative of `f`, or why there is none to give.
    public func antiderivative(_ f: Expr) throws(IntegrationFailure) -> Expr {
        if let result = try integrate(f) { return result }
        if NonElementaryIntegrands.matches(f, variable) { throw .noElementaryAntiderivative }
        if let (integrand, _, _) = ExponentialSubstitution.substituted(f, self),
           NonElementaryIntegrands.matches(integrand, ExponentialSubstitution.helper) {
            throw .noElementaryAntiderivative
        }
        throw .unsupported
    }

    func record(_ rule: IntegrationRule, _ integrand: Expr, _ result: Expr) {
        if steps.count < Self.maxSteps { steps.append(IntegrationStep(rule: rule, integrand: integrand, result: result)) }
    }

    /// Integrates in another variable (after a substitution), sharing depth, deadline and steps.
    func integrate(_ f: Expr, in other: String) throws(IntegrationFailure) -> Expr? {
        let inner = Integrator(variable: other, deadline: deadline)
        inner.depth = depth
        let result = try inner.integrate(f)
        for step in inner.steps { if steps.count < Self.maxSteps { steps.append(step) } }
        return result
    }

    func integrate(_ f: Expr) throws(IntegrationFailure) -> Expr? {
        do { try deadline?.check() } catch { throw .timeout }
        guard depth < Self.maxDepth else { return nil }
        depth += 1
        defer { depth -= 1 }

        if !f.contains(variable) {
            let result = f * x
            record(.constant, f, result)
            return result
        }
        // Constant factors come out.
        if case .product(let factors) = f {
            let constants = factors.filter { !$0.contains(variable) }
            if !constants.isEmpty {
                let rest = Expr.mul(factors.filter { $0.contains(variable) })
                guard let inner = try integrate(rest) else { return nil }
                return .mul(constants) * inner
            }
        }
        if let result = try RationalIntegration.integrate(f, by: self) { return result }
        if case .sum(let terms) = f {
            var parts: [Expr] = []
            for term in terms {
                guard let part = try integrate(term) else {
                    // Terms that are not elementary one by one may be together: (2x² + 1)·e^(x²).
                    return try PolynomialKernelIntegration.integrate(f, self)
                }
                parts.append(part)
            }
            let result = Expr.add(parts)
            record(.linearity, f, result)
            return result
        }
        if let result = StandardIntegrals.integrate(f, self) { return result }
        if let result = try TrigIntegration.integrate(f, self) { return result }
        if let result = try TrigProductToSum.integrate(f, self) { return result }
        if let result = ExpTrigIntegration.integrate(f, self) { return result }
        if let result = try ExpTrigIntegration.squared(f, self) { return result }
        if let result = try HyperbolicExpansion.integrate(f, self) { return result }
        if let result = try WeierstrassIntegration.integrate(f, self) { return result }
        if let result = RadicalIntegration.integrate(f, self) { return result }
        if let result = try PolynomialRadicalIntegration.integrate(f, self) { return result }
        if let result = InverseHyperbolicForms.integrate(f, self) { return result }
        if let result = try SubstitutionIntegration.integrate(f, self) { return result }
        if let result = try ExponentialSubstitution.integrate(f, self) { return result }
        if let result = try RootSubstitution.integrate(f, self) { return result }
        if let result = try SquareSubstitution.integrate(f, self) { return result }
        if let result = try IntegrationByParts.integrate(f, self) { return result }
        if let result = try LogSubstitution.integrate(f, self) { return result }
        if let result = try ExpansionIntegration.integrate(f, self) { return result }
        if let result = try PolynomialKernelIntegration.integrate(f, self) { return result }
        return nil
    }

    /// (a, b) when u = a·x + b with rational a ≠ 0, b.
    func linear(_ u: Expr) -> (Rational, Rational)? {
        guard let p = Polynomial.from(u, variable, maxDegree: 1), p.degree == 1 else { return nil }
        return (p[1], p[0])
    }
}
