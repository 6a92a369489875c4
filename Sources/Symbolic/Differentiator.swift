import ExactMath

/// Symbolic differentiation: the sum, product, quotient (as a product with a negative power),
/// chain and general power rules, `d/dx f^g = f^g·(g'·ln f + g·f'/f)`, and every function of
/// `ElementaryFunction`. Results come out canonical through the simplifying constructors.
public enum Differentiator {
    public static func derivative(_ expr: Expr, _ variable: String, deadline: Deadline? = nil) throws(DeadlineExceeded) -> Expr {
        try deadline?.check()
        guard expr.contains(variable) else { return .zero }
        switch expr {
        case .number, .constant: return .zero
        case .symbol(let name): return name == variable ? .one : .zero
        case .sum(let terms):
            var parts: [Expr] = []
            for term in terms { parts.append(try derivative(term, variable, deadline: deadline)) }
            return .add(parts)
        case .product(let factors):
            // Σ_i f_1 … f_i' … f_n, skipping constant factors.
            var parts: [Expr] = []
            for (index, factor) in factors.enumerated() where factor.contains(variable) {
                var others = factors
                others[index] = try derivative(factor, variable, deadline: deadline)
                parts.append(.mul(others))
            }
            return .add(parts)
        case .power(let base, let exponent):
            let baseVaries = base.contains(variable)
            let exponentVaries = exponent.contains(variable)
            if !exponentVaries {
                // n·u^(n-1)·u'
                return .mul([exponent, .pow(base, exponent - .one), try derivative(base, variable, deadline: deadline)])
            }
            if !baseVaries {
                // a^v·ln(a)·v'
                return .mul([expr, .ln(base), try derivative(exponent, variable, deadline: deadline)])
            }
            let baseDerivative = try derivative(base, variable, deadline: deadline)
            let exponentDerivative = try derivative(exponent, variable, deadline: deadline)
            return expr * (exponentDerivative * .ln(base) + exponent * baseDerivative / base)
        case .function(let function, let argument):
            let inner = try derivative(argument, variable, deadline: deadline)
            return outer(function, argument) * inner
        }
    }

    /// f'(u) for each elementary function.
    static func outer(_ function: ElementaryFunction, _ u: Expr) -> Expr {
        switch function {
        case .sin: return .apply(.cos, u)
        case .cos: return -.apply(.sin, u)
        case .tan: return .pow(.apply(.sec, u), .int(2))
        case .cot: return -.pow(.apply(.csc, u), .int(2))
        case .sec: return .apply(.sec, u) * .apply(.tan, u)
        case .csc: return -(.apply(.csc, u) * .apply(.cot, u))
        case .asin: return .pow(.one - .pow(u, .int(2)), .number(-1, 2))
        case .acos: return -.pow(.one - .pow(u, .int(2)), .number(-1, 2))
        case .atan: return .pow(.one + .pow(u, .int(2)), .minusOne)
        case .sinh: return .apply(.cosh, u)
        case .cosh: return .apply(.sinh, u)
        case .tanh: return .one - .pow(.apply(.tanh, u), .int(2))
        case .ln: return .pow(u, .minusOne)
        case .abs: return u / .apply(.abs, u)
        }
    }

    /// The n-th derivative.
    public static func derivative(_ expr: Expr, _ variable: String, order: Int, deadline: Deadline? = nil) throws(DeadlineExceeded) -> Expr {
        var result = expr
        for _ in 0..<order { result = try derivative(result, variable, deadline: deadline) }
        return result
    }
}
