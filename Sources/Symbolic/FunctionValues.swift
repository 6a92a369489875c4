import ExactMath

/// Exact values of the elementary functions where they are known in closed form: trig functions
/// at multiples of π/6 and π/4, their inverses at the matching points, ln/exp identities,
/// tan(atan u) = u, and parity (`sin(-u) = -sin(u)`).
enum FunctionValues {
    static func exact(_ function: ElementaryFunction, _ argument: Expr) -> Expr? {
        let (coefficient, rest) = argument.coefficientAndRest
        let negated = coefficient.signum < 0
        let positiveArgument = negated ? Expr.mul([.number(-coefficient), rest]) : argument
        switch function {
        case .sin, .tan, .cot, .csc, .cos, .sec:
            // tan(atan u) = u for every real u. (sin(asin u) and cos(acos u) are not simplified:
            // they are defined only for |u| ≤ 1, and u would hide that from definite integrals.)
            if function == .tan, case .function(.atan, let inner) = argument { return inner }
            if argument.isZero {
                switch function {
                case .sin, .tan: return .zero
                case .cos, .sec: return .one
                default: return nil
                }
            }
            if rest == .pi, let value = trigAtPiMultiple(function, coefficient) { return value }
            if negated {
                let inner = Expr.apply(function, positiveArgument)
                return (function == .cos || function == .sec) ? inner : -inner
            }
            return nil
        case .sinh, .tanh:
            if argument.isZero { return .zero }
            return negated ? -Expr.apply(function, positiveArgument) : nil
        case .cosh:
            if argument.isZero { return .one }
            return negated ? Expr.apply(function, positiveArgument) : nil
        case .asin, .atan:
            if let value = argument.rationalValue, let angle = inverseTrig(function, value) { return angle }
            if let value = surdValue(argument), let angle = inverseTrigSurd(function, value) { return angle }
            return negated ? -Expr.apply(function, positiveArgument) : nil
        case .acos:
            if let value = argument.rationalValue, let angle = inverseTrig(.asin, value) { return .pi / .int(2) - angle }
            if let value = surdValue(argument), let angle = inverseTrigSurd(.asin, value) { return .pi / .int(2) - angle }
            return nil
        case .ln:
            if argument.isOne { return .zero }
            if argument == .e { return .one }
            if case .power(.constant(.e), let exponent) = argument { return exponent }
            return nil
        case .abs:
            if let value = argument.rationalValue { return .number(value.signum < 0 ? -value : value) }
            if case .constant = argument { return argument }
            if case .function(.abs, _) = argument { return argument }
            if case .power(.constant(.e), _) = argument { return argument }
            if coefficient != .one && !rest.isOne {
                return .mul([.number(negated ? -coefficient : coefficient), .apply(.abs, rest)])
            }
            return nil
        }
    }

    /// `sin`, `cos`, … of `c·π` for c with denominator 1, 2, 3, 4 or 6.
    private static func trigAtPiMultiple(_ function: ElementaryFunction, _ c: Rational) -> Expr? {
        guard let denominator = c.denominator.intValue, [1, 2, 3, 4, 6].contains(denominator) else { return nil }
        // Work in twelfths of π, reduced to one turn.
        guard let twelfths = (c * Rational(12)).numerator.intValue else { return nil }
        let k = ((twelfths % 24) + 24) % 24
        let sine = sinTwelfths(k)
        let cosine = sinTwelfths((k + 6) % 24)
        switch function {
        case .sin: return sine
        case .cos: return cosine
        case .tan: return cosine.isZero ? nil : sine / cosine
        case .cot: return sine.isZero ? nil : cosine / sine
        case .sec: return cosine.isZero ? nil : .one / cosine
        case .csc: return sine.isZero ? nil : .one / sine
        default: return nil
        }
    }

    /// sin(kπ/12) for k in 0..<24, at the multiples of π/12 that are also multiples of π/6 or π/4.
    private static func sinTwelfths(_ k: Int) -> Expr {
        let quadrantSign: Expr = k >= 12 ? .minusOne : .one
        let reduced = k % 12  // 0...11 within [0, π)
        let folded = reduced > 6 ? 12 - reduced : reduced  // sin(π - t) = sin t
        let value: Expr
        switch folded {
        case 0: value = .zero
        case 2: value = .half
        case 3: value = .sqrt(.int(2)) / .int(2)
        case 4: value = .sqrt(.int(3)) / .int(2)
        case 6: value = .one
        default: value = .zero  // not reached: callers pass multiples of π/6 or π/4
        }
        return quadrantSign * value
    }

    private static func inverseTrig(_ function: ElementaryFunction, _ value: Rational) -> Expr? {
        let sign: Expr = value.signum < 0 ? .minusOne : .one
        let magnitude = value.signum < 0 ? -value : value
        switch (function, magnitude) {
        case (_, .zero): return .zero
        case (.asin, .one): return sign * .pi / .int(2)
        case (.asin, Rational(BigInt(1), BigInt(2))): return sign * .pi / .int(6)
        case (.atan, .one): return sign * .pi / .int(4)
        default: return nil
        }
    }

    /// `q·√m` as (q, m) for the radicals that appear in inverse-trig tables.
    private static func surdValue(_ argument: Expr) -> (Rational, Int)? {
        let (coefficient, rest) = argument.coefficientAndRest
        if case .power(.number(let radicand), .number(let half)) = rest, half == Rational(BigInt(1), BigInt(2)),
           radicand.isInteger, let m = radicand.numerator.intValue {
            return (coefficient, m)
        }
        return nil
    }

    private static func inverseTrigSurd(_ function: ElementaryFunction, _ value: (Rational, Int)) -> Expr? {
        let (q, m) = value
        let sign: Expr = q.signum < 0 ? .minusOne : .one
        let magnitude = q.signum < 0 ? -q : q
        switch (function, m, magnitude) {
        case (.asin, 2, Rational(BigInt(1), BigInt(2))): return sign * .pi / .int(4)
        case (.asin, 3, Rational(BigInt(1), BigInt(2))): return sign * .pi / .int(3)
        case (.atan, 3, .one): return sign * .pi / .int(3)
        case (.atan, 3, Rational(BigInt(1), BigInt(3))): return sign * .pi / .int(6)
        default: return nil
        }
    }
}
