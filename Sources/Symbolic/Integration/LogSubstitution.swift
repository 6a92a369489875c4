import ExactMath

/// ∫ F(x, ln x) dx with t = ln x: x = e^t and dx = e^t dt, so sin(ln x), cos(ln x)·x² or
/// ln(x)²/x³ become integrals of e^(kt) times a function of t, which parts and e^(at)·sin/cos(bt)
/// handle. Back in x, e^(k·ln x) simplifies to x^k. Only tried when ln x occurs and after the
/// rules that handle xʳ·lnⁿx directly, so their answers stay as they were.
enum LogSubstitution {
    static let helper = "__l"

    static func integrate(_ f: Expr, _ integrator: Integrator) throws(IntegrationFailure) -> Expr? {
        let logarithm = Expr.ln(integrator.x)
        guard occurs(logarithm, in: f), let g = rewrite(f, integrator.variable) else { return nil }
        let integrand = g * .exp(.symbol(helper))
        guard !integrand.contains(integrator.variable), let inner = try integrator.integrate(integrand, in: helper) else { return nil }
        let result = inner.substituting(.symbol(helper), with: logarithm)
        integrator.record(.logSubstitution, f, result)
        return result
    }

    static func occurs(_ target: Expr, in e: Expr) -> Bool {
        if e == target { return true }
        switch e {
        case .sum(let items), .product(let items): return items.contains { occurs(target, in: $0) }
        case .power(let base, let exponent): return occurs(target, in: base) || occurs(target, in: exponent)
        case .function(_, let argument): return occurs(target, in: argument)
        case .number, .constant, .symbol: return false
        }
    }

    /// `e` in t = ln x: ln x → t, x^r → e^(rt), x → e^t.
    static func rewrite(_ e: Expr, _ variable: String) -> Expr? {
        let t = Expr.symbol(helper)
        guard e.contains(variable) else { return e }
        if e == .ln(.symbol(variable)) { return t }
        switch e {
        case .symbol: return .exp(t)
        case .power(.symbol(let name), let exponent) where name == variable && !exponent.contains(variable):
            return .exp(exponent * t)
        default:
            return e.mappingChildren { rewrite($0, variable) }
        }
    }
}
