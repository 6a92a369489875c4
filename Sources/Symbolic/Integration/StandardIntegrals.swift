import ExactMath

/// The standard table, applied to a linear argument u = a·x + b (the result divided by a):
/// uⁿ, 1/u, cᵘ and eᵘ, the six trig functions, sinh/cosh/tanh, ln, asin/acos/atan, |u|.
enum StandardIntegrals {
    static func integrate(_ f: Expr, _ integrator: Integrator) -> Expr? {
        let variable = integrator.variable
        switch f {
        case .symbol:
            let result = Expr.pow(f, .int(2)) / .int(2)
            integrator.record(.powerRule, f, result)
            return result
        case .power(let base, let exponent):
            if !exponent.contains(variable), let (a, _) = integrator.linear(base) {
                let result: Expr
                if exponent == .minusOne {
                    result = .ln(.apply(.abs, base)) / .number(a)
                } else {
                    result = .pow(base, exponent + .one) / (.number(a) * (exponent + .one))
                }
                integrator.record(base == integrator.x ? .powerRule : .linearSubstitution, f, result)
                return result
            }
            if !base.contains(variable), let (a, _) = integrator.linear(exponent) {
                let result = base == .e ? f / .number(a) : f / (.number(a) * .ln(base))
                integrator.record(.table, f, result)
                return result
            }
            return nil
        case .function(let function, let u):
            guard let (a, _) = integrator.linear(u), let primitive = table(function, u) else { return nil }
            let result = primitive / .number(a)
            integrator.record(u == integrator.x ? .table : .linearSubstitution, f, result)
            return result
        default:
            return nil
        }
    }

    /// ∫ f(u) du.
    static func table(_ function: ElementaryFunction, _ u: Expr) -> Expr? {
        switch function {
        case .sin: return -.apply(.cos, u)
        case .cos: return .apply(.sin, u)
        case .tan: return -.ln(.apply(.abs, .apply(.cos, u)))
        case .cot: return .ln(.apply(.abs, .apply(.sin, u)))
        case .sec: return .ln(.apply(.abs, .apply(.sec, u) + .apply(.tan, u)))
        case .csc: return -.ln(.apply(.abs, .apply(.csc, u) + .apply(.cot, u)))
        case .sinh: return .apply(.cosh, u)
        case .cosh: return .apply(.sinh, u)
        case .tanh: return .ln(.apply(.cosh, u))
        case .ln: return u * .ln(u) - u
        case .asin: return u * .apply(.asin, u) + .sqrt(.one - .pow(u, .int(2)))
        case .acos: return u * .apply(.acos, u) - .sqrt(.one - .pow(u, .int(2)))
        case .atan: return u * .apply(.atan, u) - .ln(.one + .pow(u, .int(2))) / .int(2)
        case .abs: return u * .apply(.abs, u) / .int(2)
        }
    }
}
