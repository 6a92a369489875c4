import ExactMath

/// Products of sines and cosines of different linear arguments, sin(3x)·cos(2x) or
/// sin²(x)·cos(3x): the product-to-sum formulas turn them into a sum of single sines and cosines,
///   sin A·cos B = ½[sin(A + B) + sin(A − B)],  sin A·sin B = ½[cos(A − B) − cos(A + B)],
///   cos A·cos B = ½[cos(A − B) + cos(A + B)],
/// applied factor by factor, which the table then integrates term by term. Products of one
/// argument stay with `TrigIntegration`.
enum TrigProductToSum {
    /// Each factor doubles the number of terms; beyond this the sum is not worth building.
    static let maxFactors = 6

    /// One term of the expanded sum: coefficient·sin(argument) or coefficient·cos(argument).
    struct Term {
        var coefficient: Rational
        var isSine: Bool
        var argument: Expr
    }

    static func integrate(_ f: Expr, _ integrator: Integrator) throws(IntegrationFailure) -> Expr? {
        var items: [(isSine: Bool, argument: Expr)] = []
        for factor in f.factors {
            let (base, exponent) = factor.baseAndExponent
            guard case .function(let function, let argument) = base, function == .sin || function == .cos,
                  integrator.linear(argument) != nil, let power = exponent.rationalValue, power.isInteger,
                  let count = power.numerator.intValue, count >= 1, items.count + count <= maxFactors
            else { return nil }
            items += Array(repeating: (function == .sin, argument), count: count)
        }
        guard items.count >= 2, Set(items.map(\.argument)).count > 1 else { return nil }
        var terms = [Term(coefficient: .one, isSine: items[0].isSine, argument: items[0].argument)]
        for item in items.dropFirst() {
            terms = terms.flatMap { product($0, isSine: item.isSine, argument: item.argument) }
        }
        // sin(−u) = −sin(u), cos(−u) = cos(u): arguments with a positive slope read better.
        for index in terms.indices {
            guard let (slope, _) = integrator.linear(terms[index].argument), slope.signum < 0 else { continue }
            terms[index].argument = -terms[index].argument
            if terms[index].isSine { terms[index].coefficient = -terms[index].coefficient }
        }
        let sum = Expr.add(terms.map { .number($0.coefficient) * .apply($0.isSine ? .sin : .cos, $0.argument) })
        guard let result = try integrator.integrate(sum) else { return nil }
        integrator.record(.productToSum, f, result)
        return result
    }

    /// term·(sin or cos of `argument`) as two terms.
    static func product(_ term: Term, isSine: Bool, argument b: Expr) -> [Term] {
        let a = term.argument
        let half = term.coefficient * Rational(1, 2)
        switch (term.isSine, isSine) {
        case (true, false):  // sin A cos B
            return [Term(coefficient: half, isSine: true, argument: a + b), Term(coefficient: half, isSine: true, argument: a - b)]
        case (false, true):  // cos A sin B = ½[sin(A + B) − sin(A − B)]
            return [Term(coefficient: half, isSine: true, argument: a + b), Term(coefficient: -half, isSine: true, argument: a - b)]
        case (true, true):  // sin A sin B
            return [Term(coefficient: half, isSine: false, argument: a - b), Term(coefficient: -half, isSine: false, argument: a + b)]
        case (false, false):  // cos A cos B
            return [Term(coefficient: half, isSine: false, argument: a - b), Term(coefficient: half, isSine: false, argument: a + b)]
        }
    }
}
