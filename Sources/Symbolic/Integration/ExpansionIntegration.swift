import ExactMath

/// Multiplies out products with sums (and small integer powers of sums), then integrates term
/// by term: (x + 1)·eˣ = x·eˣ + eˣ.
enum ExpansionIntegration {
    static func integrate(_ f: Expr, _ integrator: Integrator) throws(IntegrationFailure) -> Expr? {
        let expanded = Expansion.expand(f)
        guard expanded != f, case .sum = expanded else { return nil }
        guard let result = try integrator.integrate(expanded) else { return nil }
        integrator.record(.expansion, f, result)
        return result
    }
}

/// Distributes products over sums and expands small positive integer powers of sums.
public enum Expansion {
    static let maxPower = 12
    static let maxTerms = 512

    public static func expand(_ e: Expr) -> Expr {
        switch e {
        case .sum(let terms):
            return .add(terms.map(expand))
        case .product(let factors):
            var terms: [Expr] = [.one]
            for factor in factors.map(expand) {
                let next = factor.terms
                guard terms.count * next.count <= maxTerms else { return e }
                terms = terms.flatMap { left in next.map { left * $0 } }
            }
            return .add(terms)
        case .power(let base, let exponent):
            if case .sum = base, let n = exponent.rationalValue, n.isInteger, let k = n.numerator.intValue, k >= 2, k <= maxPower {
                return expand(.product(Array(repeating: base, count: k)))
            }
            return e
        default:
            return e
        }
    }
}
