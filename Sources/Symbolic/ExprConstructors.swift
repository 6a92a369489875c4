import ExactMath

/// The simplifying constructors. Every rule (derivative, integral, limit) builds through these,
/// so results are canonical without a separate "simplify" pass.
extension Expr {
    /// Integer powers of numbers are folded only while the result stays below this many bits,
    /// so `10^(10^9)` stays symbolic instead of exhausting memory.
    static let maxFoldedPowerBits = 20_000

    /// The numeric coefficient and the rest: `3*x*y` → (3, `x*y`); `x` → (1, `x`); `5` → (5, 1).
    public var coefficientAndRest: (Rational, Expr) {
        switch self {
        case .number(let value):
            return (value, .one)
        case .product(let factors):
            if case .number(let value) = factors[0] {
                let rest = Array(factors.dropFirst())
                return (value, rest.count == 1 ? rest[0] : .product(rest))
            }
            return (.one, self)
        default:
            return (.one, self)
        }
    }

    /// The base and exponent: `x^3` → (x, 3); `x` → (x, 1).
    public var baseAndExponent: (Expr, Expr) {
        if case .power(let base, let exponent) = self { return (base, exponent) }
        return (self, .one)
    }

    /// Factors of a product (the expression itself otherwise).
    public var factors: [Expr] {
        if case .product(let factors) = self { return factors }
        return [self]
    }

    /// Terms of a sum (the expression itself otherwise).
    public var terms: [Expr] {
        if case .sum(let terms) = self { return terms }
        return [self]
    }

    public static func add(_ operands: [Expr]) -> Expr {
        var constant = Rational.zero
        var coefficients = ExprGroups<Rational>()
        // State passed inout, not captured: a nested function's captured `var`s are boxed and
        // checked for exclusive access at run time on every use.
        func collect(_ term: Expr, _ constant: inout Rational, _ coefficients: inout ExprGroups<Rational>) {
            switch term {
            case .number(let value):
                constant = constant + value
            case .sum(let inner):
                for term in inner { collect(term, &constant, &coefficients) }
            default:
                let (coefficient, rest) = term.coefficientAndRest
                if let position = coefficients.position(of: rest) {
                    coefficients.update(at: position) { $0 = $0 + coefficient }
                } else {
                    coefficients.append(rest, coefficient)
                }
            }
        }
        for operand in operands { collect(operand, &constant, &coefficients) }
        var result: [Expr] = []
        if !constant.isZero { result.append(.number(constant)) }
        for (rest, coefficient) in zip(coefficients.keys, coefficients.values) where !coefficient.isZero {
            result.append(scaled(rest, by: coefficient))
        }
        if result.isEmpty { return .zero }
        if result.count == 1 { return result[0] }
        result.sort(by: precedes)
        return .sum(result)
    }

    /// `coefficient · rest` for a `rest` that carries no coefficient of its own.
    private static func scaled(_ rest: Expr, by coefficient: Rational) -> Expr {
        if coefficient == .one { return rest }
        if case .product(let factors) = rest { return .product([.number(coefficient)] + factors) }
        return .product([.number(coefficient), rest])
    }

    public static func mul(_ operands: [Expr]) -> Expr {
        var coefficient = Rational.one
        var exponents = ExprGroups<[Expr]>()
        func collect(_ factor: Expr, _ coefficient: inout Rational, _ exponents: inout ExprGroups<[Expr]>) {
            switch factor {
            case .number(let value):
                coefficient = coefficient * value
            case .product(let inner):
                for factor in inner { collect(factor, &coefficient, &exponents) }
            default:
                let (base, exponent) = factor.baseAndExponent
                if let position = exponents.position(of: base) {
                    exponents.update(at: position) { $0.append(exponent) }
                } else {
                    exponents.append(base, [exponent])
                }
            }
        }
        for operand in operands { collect(operand, &coefficient, &exponents) }
        if coefficient.isZero { return .zero }
        var result: [Expr] = []
        var needsAnotherPass = false
        for (base, list) in zip(exponents.keys, exponents.values) {
            let exponent = list.count == 1 ? list[0] : add(list)
            let combined = list.count == 1 ? joined(base, exponent) : pow(base, exponent)
            switch combined {
            case .number(let value):
                coefficient = coefficient * value
            case .product:
                needsAnotherPass = true
                result.append(combined)
            default:
                result.append(combined)
            }
        }
        if needsAnotherPass { return mul([.number(coefficient)] + result) }
        if coefficient.isZero { return .zero }
        if result.isEmpty { return .number(coefficient) }
        // A number times one sum distributes: -(x + 1) is -x - 1, so like terms meet.
        if result.count == 1, coefficient != .one, case .sum(let terms) = result[0] {
            return add(terms.map { mul([.number(coefficient), $0]) })
        }
        if result.count == 1, coefficient == .one { return result[0] }
        result.sort(by: precedes)
        return .product(coefficient == .one ? result : [.number(coefficient)] + result)
    }

    /// `base^exponent` rebuilt from a factor that was already canonical on its own.
    private static func joined(_ base: Expr, _ exponent: Expr) -> Expr {
        exponent.isOne ? base : .power(base, exponent)
    }

    public static func pow(_ base: Expr, _ exponent: Expr) -> Expr {
        if exponent.isZero { return .one }
        if exponent.isOne { return base }
        if base.isOne { return .one }
        if case .number(let value) = base, case .number(let power) = exponent {
            if let folded = foldNumberPower(value, power) { return folded }
            return .power(base, exponent)
        }
        if base.isZero, let power = exponent.rationalValue, power.signum > 0 { return .zero }
        switch base {
        case .power(let innerBase, let innerExponent):
            // (u^a)^n = u^(a·n) for integer n; (u^(2k))^(1/2) is not u^k, so only integers.
            if let power = exponent.rationalValue, power.isInteger {
                return pow(innerBase, mul([innerExponent, exponent]))
            }
            if let inner = innerExponent.rationalValue, inner.isInteger, inner.numerator.isOdd {
                return pow(innerBase, mul([innerExponent, exponent]))
            }
        case .product(let factors):
            if let power = exponent.rationalValue, power.isInteger {
                return mul(factors.map { pow($0, exponent) })
            }
            // A positive numeric factor comes out of any real power: (4x)^(1/2) = 2·x^(1/2).
            if case .number(let value) = factors[0], value.signum > 0 {
                let rest = Array(factors.dropFirst())
                return mul([pow(.number(value), exponent), pow(rest.count == 1 ? rest[0] : .product(rest), exponent)])
            }
        case .constant(.e):
            // e^(ln u) = u, e^(k·ln u) = u^k.
            if case .function(.ln, let argument) = exponent { return argument }
            let (coefficient, rest) = exponent.coefficientAndRest
            if case .function(.ln, let argument) = rest { return pow(argument, .number(coefficient)) }
        default:
            break
        }
        return .power(base, exponent)
    }

    /// `value^power` as a number or a simplified radical, or nil when it must stay symbolic.
    private static func foldNumberPower(_ value: Rational, _ power: Rational) -> Expr? {
        if value.isZero { return power.signum > 0 ? .zero : nil }
        let whole = power.numerator.floorDivided(by: power.denominator)
        guard let wholeInt = whole.intValue else { return nil }
        let estimatedBits = Swift.max(value.numerator.bitWidth, value.denominator.bitWidth) * Swift.abs(wholeInt)
        guard estimatedBits <= maxFoldedPowerBits else { return nil }
        let wholePart = integerPower(value, wholeInt)
        if power.isInteger { return .number(wholePart) }
        // value^(r/q) with 0 < r < q: exact when value is a perfect q-th power.
        let fractional = power - Rational(whole)
        guard let rootIndex = fractional.denominator.intValue, rootIndex <= 64 else { return nil }
        let magnitude = value.signum < 0 ? -value : value
        if value.signum < 0 && rootIndex % 2 == 0 { return nil }
        if let top = magnitude.numerator.exactRoot(UInt(rootIndex)), let bottom = magnitude.denominator.exactRoot(UInt(rootIndex)) {
            var root = Rational(top, bottom)
            if value.signum < 0 { root = -root }
            guard let r = fractional.numerator.intValue else { return nil }
            return .number(wholePart * integerPower(root, r))
        }
        // Pull square factors out of square roots: 8^(1/2) = 2·2^(1/2); (1/2)^(1/2) = 2^(1/2)/2.
        if rootIndex == 2, value.signum > 0, fractional == Rational(1, 2),
           value.numerator.bitWidth + value.denominator.bitWidth <= 256 {
            let radicand = value.numerator * value.denominator
            if let (outside, inside) = try? Surd.extractSquares(radicand) {
                let coefficient = wholePart * Rational(outside, value.denominator)
                return .product([.number(coefficient), .power(.number(Rational(inside)), .half)]).normalizedProduct
            }
        }
        if wholeInt == 0 { return nil }
        return mul([.number(wholePart), .power(.number(value), .number(fractional))])
    }

    private var normalizedProduct: Expr {
        if case .product(let factors) = self {
            if factors.count == 2, factors[0].isOne { return factors[1] }
            if factors.count == 2, case .power(let base, _) = factors[1], base.isOne { return factors[0] }
        }
        return self
    }

    static func integerPower(_ value: Rational, _ exponent: Int) -> Rational {
        let magnitude = UInt(Swift.abs(exponent))
        let raised = Rational(value.numerator.power(magnitude), value.denominator.power(magnitude))
        return exponent < 0 ? Rational.one / raised : raised
    }

    public static func apply(_ function: ElementaryFunction, _ argument: Expr) -> Expr {
        if let value = FunctionValues.exact(function, argument) { return value }
        return .function(function, argument)
    }

    public static func + (lhs: Expr, rhs: Expr) -> Expr { add([lhs, rhs]) }
    public static func - (lhs: Expr, rhs: Expr) -> Expr { add([lhs, mul([.minusOne, rhs])]) }
    public static func * (lhs: Expr, rhs: Expr) -> Expr { mul([lhs, rhs]) }
    public static func / (lhs: Expr, rhs: Expr) -> Expr { mul([lhs, pow(rhs, .minusOne)]) }
    public static prefix func - (value: Expr) -> Expr { mul([.minusOne, value]) }

    public static func sqrt(_ value: Expr) -> Expr { pow(value, .half) }
    public static func exp(_ value: Expr) -> Expr { pow(.e, value) }
    public static func ln(_ value: Expr) -> Expr { apply(.ln, value) }
    public static func number(_ numerator: Int, _ denominator: Int) -> Expr {
        .number(Rational(BigInt(numerator), BigInt(denominator)))
    }
}

extension BigInt {
    var isOdd: Bool { !isDivisible(by: BigInt(2)) }
}
