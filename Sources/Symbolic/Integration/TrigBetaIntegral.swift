import ExactMath

extension DefiniteIntegrator {
    /// What `trigBeta` found.
    enum TrigBetaOutcome: Equatable {
        case value(Expr)
        /// sinᵃx·cosᵇx keeps one sign on (0, π/2) and behaves like xᵃ at 0 and (π/2 − x)ᵇ at
        /// π/2, so an exponent ≤ −1 makes the integral diverge at that end.
        case divergent(at: [Expr])
    }

    /// c·sinᵃx·cosᵇx over [0, π/2] (tan, cot, sec and csc powers count as such products) with
    /// a, b > −1, a not an integer, and a + b an even integer 2(k − 1): half the Beta function
    /// B(s, k − s), s = (a + 1)/2, which the reflection formula Γ(s)Γ(1 − s) = π/sin(πs) makes
    /// π/(2·sin(πs)) · ∏ⱼ₌₁ᵏ⁻¹ (j − s)/j. So ∫₀^{π/2} √(tan x) dx = π/(2·sin(3π/4)) = π/√2.
    ///
    /// Why a rule of its own: these integrands have no antiderivative the integrator finds
    /// (or one in elementary terms at all, for most exponents), and quadrature gives only
    /// digits. Integer exponents are left to the antiderivative route, whose steps teach more;
    /// other exponent pairs give Γ values with no closed form here, so they stay numeric.
    func trigBeta(_ f: Expr, from lower: LimitPoint, to upper: LimitPoint) -> TrigBetaOutcome? {
        guard case .finite(let a) = lower, a.isZero, case .finite(let b) = upper, b == .pi / .int(2) else { return nil }
        var sinPower = Rational.zero
        var cosPower = Rational.zero
        var constants: [Expr] = []
        /// Adds `part`^`times` to the two exponents; false when `part` is not a power of a
        /// trigonometric function of the bare variable.
        func accumulate(_ part: Expr, times: Rational) -> Bool {
            switch part {
            case .power(let base, .number(let exponent)):
                return accumulate(base, times: times * exponent)
            case .product(let items):
                return items.allSatisfy { accumulate($0, times: times) }
            case .function(let function, .symbol(let name)) where name == variable:
                switch function {
                case .sin: sinPower = sinPower + times
                case .cos: cosPower = cosPower + times
                case .tan: sinPower = sinPower + times; cosPower = cosPower - times
                case .cot: sinPower = sinPower - times; cosPower = cosPower + times
                case .sec: cosPower = cosPower - times
                case .csc: sinPower = sinPower - times
                default: return false
                }
                return true
            default:
                return false
            }
        }
        for part in f.factors {
            if !part.contains(variable) {
                constants.append(part)
            } else if !accumulate(part, times: .one) {
                return nil
            }
        }
        guard sinPower > Rational(-1), cosPower > Rational(-1) else {
            return .divergent(at: (sinPower > Rational(-1) ? [] : [a]) + (cosPower > Rational(-1) ? [] : [b]))
        }
        let total = sinPower + cosPower
        guard !sinPower.isInteger,
              total.isInteger, let twice = total.numerator.intValue, twice >= 0, twice % 2 == 0, twice <= 64
        else { return nil }
        let k = twice / 2 + 1
        let s = (sinPower + .one) / Rational(2)
        var product = Rational(1, 2)
        for j in stride(from: 1, to: k, by: 1) {
            product = product * (Rational(j) - s) / Rational(j)
        }
        return .value(.mul(constants) * .number(product) * .pi / Expr.apply(.sin, .number(s) * .pi))
    }
}
