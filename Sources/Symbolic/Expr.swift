import ExactMath

/// An elementary function the engine knows how to differentiate, integrate and evaluate.
public enum ElementaryFunction: String, Sendable, Hashable, CaseIterable {
    case sin, cos, tan, cot, sec, csc
    case asin, acos, atan
    case sinh, cosh, tanh
    case ln, abs
}

/// A symbolic constant; exact, never replaced by a decimal inside an expression.
public enum MathConstant: String, Sendable, Hashable {
    case pi, e
}

/// An expression in canonical form. Build values with the static constructors (`Expr.add`,
/// `Expr.mul`, `Expr.pow`, `Expr.apply`), which simplify as they go: sums and products are flat,
/// numbers folded, like terms collected, powers of one base merged, and operands sorted. Two
/// expressions that differ only by those rewrites are therefore equal (`==`).
///
/// `e^u` is the one representation of `exp(u)`, `u^(1/2)` of `sqrt(u)`, and `ln(u)/ln(b)` of
/// `log(u, b)`, so each rule (derivative, integral, limit) sees one shape per idea.
public indirect enum Expr: Sendable, Hashable {
    case number(Rational)
    case symbol(String)
    case constant(MathConstant)
    case sum([Expr])
    case product([Expr])
    case power(Expr, Expr)
    case function(ElementaryFunction, Expr)

    public static let zero = Expr.number(.zero)
    public static let one = Expr.number(.one)
    public static let minusOne = Expr.number(Rational(-1))
    public static let half = Expr.number(Rational(1, 2) )
    public static let pi = Expr.constant(.pi)
    public static let e = Expr.constant(.e)

    public static func int(_ value: Int) -> Expr { .number(Rational(value)) }

    public var rationalValue: Rational? {
        if case .number(let value) = self { return value }
        return nil
    }

    public var isZero: Bool { rationalValue?.isZero ?? false }
    public var isOne: Bool { rationalValue == .one }

    /// Whether `symbol` occurs anywhere in the expression.
    public func contains(_ symbol: String) -> Bool {
        switch self {
        case .number, .constant: return false
        case .symbol(let name): return name == symbol
        case .sum(let terms), .product(let terms): return terms.contains { $0.contains(symbol) }
        case .power(let base, let exponent): return base.contains(symbol) || exponent.contains(symbol)
        case .function(_, let argument): return argument.contains(symbol)
        }
    }

    /// Every symbol that occurs, in first-seen order.
    public var symbols: [String] {
        var seen: [String] = []
        func visit(_ expr: Expr) {
            switch expr {
            case .number, .constant: return
            case .symbol(let name): if !seen.contains(name) { seen.append(name) }
            case .sum(let terms), .product(let terms): terms.forEach(visit)
            case .power(let base, let exponent): visit(base); visit(exponent)
            case .function(_, let argument): visit(argument)
            }
        }
        visit(self)
        return seen
    }

    /// Replaces every occurrence of `target` (structurally) by `replacement`, re-simplifying.
    public func substituting(_ target: Expr, with replacement: Expr) -> Expr {
        if self == target { return replacement }
        switch self {
        case .number, .constant, .symbol: return self
        case .sum(let terms): return .add(terms.map { $0.substituting(target, with: replacement) })
        case .product(let factors): return .mul(factors.map { $0.substituting(target, with: replacement) })
        case .power(let base, let exponent):
            return .pow(base.substituting(target, with: replacement), exponent.substituting(target, with: replacement))
        case .function(let function, let argument): return .apply(function, argument.substituting(target, with: replacement))
        }
    }

    /// The same node over `transform`ed children (re-simplified), or nil when `transform`
    /// declines any child: the one place substitution rules walk the tree.
    func mappingChildren(_ transform: (Expr) -> Expr?) -> Expr? {
        func all(_ items: [Expr]) -> [Expr]? {
            var mapped: [Expr] = []
            for item in items {
                guard let item = transform(item) else { return nil }
                mapped.append(item)
            }
            return mapped
        }
        switch self {
        case .number, .constant, .symbol:
            return self
        case .sum(let terms):
            return all(terms).map(Expr.add)
        case .product(let factors):
            return all(factors).map(Expr.mul)
        case .power(let base, let exponent):
            guard let base = transform(base), let exponent = transform(exponent) else { return nil }
            return .pow(base, exponent)
        case .function(let function, let argument):
            return transform(argument).map { .apply(function, $0) }
        }
    }

    /// Number of nodes: the measure the input limits and the integrator's heuristics use.
    public var size: Int {
        switch self {
        case .number, .constant, .symbol: return 1
        case .sum(let terms), .product(let terms): return terms.reduce(1) { $0 + $1.size }
        case .power(let base, let exponent): return 1 + base.size + exponent.size
        case .function(_, let argument): return 1 + argument.size
        }
    }
}
