import ExactMath

/// ∫ g(u(x))·u'(x) dx = ∫ g(u) du: tries each inner expression u (function arguments, bases
/// and exponents of powers, and the function applications themselves); when f/u' no longer
/// mentions x once u is named, the smaller integral in u is solved and u put back.
enum SubstitutionIntegration {
    static let helper = "__u"

    static func integrate(_ f: Expr, _ integrator: Integrator) throws(IntegrationFailure) -> Expr? {
        let variable = integrator.variable
        // Inside an earlier substitution the variable is itself `__u`: the new one needs another
        // name, or the leftover check below cannot tell the old variable from the new one
        // (cos(sin(u)) with sin(u) named u again read as cos(u)/cos(u) = 1, and
        // ∫ cos(sin(x + 3)) dx came out as sin(x + 3)).
        let helper = variable == Self.helper ? Self.helper + "2" : Self.helper
        let u = Expr.symbol(helper)
        for candidate in candidates(f, variable) {
            do { try integrator.deadline?.check() } catch { throw .timeout }
            guard let derivative = try? Differentiator.derivative(candidate, variable), !derivative.isZero else { continue }
            let quotient = f / derivative
            let replaced = quotient.substituting(candidate, with: u)
            guard !replaced.contains(variable), replaced.contains(helper) || !replaced.isZero else { continue }
            guard let inner = try integrator.integrate(replaced, in: helper) else { continue }
            let result = inner.substituting(u, with: candidate)
            integrator.record(.substitution, f, result)
            return result
        }
        return nil
    }

    /// Non-trivial subexpressions that contain x, largest first, without duplicates.
    static func candidates(_ f: Expr, _ variable: String) -> [Expr] {
        var found: [Expr] = []
        func add(_ e: Expr) {
            guard e.contains(variable), e != .symbol(variable), !found.contains(e) else { return }
            found.append(e)
        }
        func visit(_ e: Expr) {
            switch e {
            case .function(_, let argument):
                add(e)
                add(argument)
                visit(argument)
            case .power(let base, let exponent):
                add(base)
                add(exponent)
                if exponent.contains(variable) { add(e) }
                visit(base)
                visit(exponent)
            case .product(let factors), .sum(let factors):
                factors.forEach(visit)
            default:
                break
            }
        }
        visit(f)
        return found.sorted { $0.size > $1.size }
    }
}
