import ExactMath
import Foundation

/// Evaluates an expression in double precision. Used where an approximation is the point (the
/// numeric fallback of definite integrals, the signs of non-zero constants, root isolation and
/// the property tests), never to produce an exact answer.
public enum NumericEvaluator {
    /// nil when the expression is undefined at the point (a pole, ln of a non-positive number…)
    /// or not real.
    public static func evaluate(_ expr: Expr, _ bindings: [String: Double] = [:]) -> Double? {
        let value = raw(expr, bindings)
        return value.isFinite ? value : nil
    }

    static func raw(_ expr: Expr, _ bindings: [String: Double]) -> Double {
        switch expr {
        case .number(let value): return value.doubleValue
        case .constant(.pi): return Double.pi
        case .constant(.e): return M_E
        case .symbol(let name): return bindings[name] ?? .nan
        case .sum(let terms): return terms.reduce(0) { $0 + raw($1, bindings) }
        case .product(let factors): return factors.reduce(1) { $0 * raw($1, bindings) }
        case .power(let base, let exponent):
            let b = raw(base, bindings)
            if let value = exponent.rationalValue {
                if value.isInteger, let n = value.numerator.intValue {
                    if b == 0 && n < 0 { return .nan }
                    return Foundation.pow(b, Double(n))
                }
                // Odd roots of negative numbers are real: (-8)^(1/3) = -2.
                if b < 0, let q = value.denominator.intValue, q % 2 == 1 {
                    let magnitude = Foundation.pow(-b, value.doubleValue)
                    return value.numerator.isOdd ? -magnitude : magnitude
                }
                if b == 0 && value.signum < 0 { return .nan }
            }
            if case .constant(.e) = base { return Foundation.exp(raw(exponent, bindings)) }
            let e = raw(exponent, bindings)
            if b < 0 { return .nan }
            if b == 0 && e <= 0 { return .nan }
            return Foundation.pow(b, e)
        case .function(let function, let argument):
            let x = raw(argument, bindings)
            switch function {
            case .sin: return Foundation.sin(x)
            case .cos: return Foundation.cos(x)
            case .tan: return Foundation.tan(x)
            case .cot: return 1 / Foundation.tan(x)
            case .sec: return 1 / Foundation.cos(x)
            case .csc: return 1 / Foundation.sin(x)
            case .asin: return Foundation.asin(x)
            case .acos: return Foundation.acos(x)
            case .atan: return Foundation.atan(x)
            case .sinh: return Foundation.sinh(x)
            case .cosh: return Foundation.cosh(x)
            case .tanh: return Foundation.tanh(x)
            case .ln: return x > 0 ? Foundation.log(x) : .nan
            case .abs: return Swift.abs(x)
            }
        }
    }
}

extension Rational {
    /// Nearest double (through a scaled integer quotient, good to about 15 digits).
    public var doubleValue: Double {
        if let n = numerator.intValue, let d = denominator.intValue, Swift.abs(n) < (1 << 53), d < (1 << 53) {
            return Double(n) / Double(d)
        }
        let shift = Swift.max(0, 64 - (numerator.bitWidth - denominator.bitWidth))
        let scaled = (numerator * BigInt(2).power(UInt(shift))).quotientAndRemainder(dividingBy: denominator).quotient
        let text = scaled.description
        return (Double(text) ?? .nan) / Foundation.pow(2, Double(shift))
    }
}
