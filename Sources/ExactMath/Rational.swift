/// An exact rational number: numerator / denominator in lowest terms, denominator > 0.
public struct Rational: Sendable, Hashable, Comparable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    public let numerator: BigInt
    public let denominator: BigInt

    /// Reduces to lowest terms with a positive denominator. `denominator` ≠ 0.
    public init(_ numerator: BigInt, _ denominator: BigInt = .one) {
        precondition(!denominator.isZero, "zero denominator")
        let divisor = BigInt.gcd(numerator, denominator)
        // Coprime is the common case (a solver's results, most sums): no divisions then.
        let coprime = divisor == .one
        var top = coprime ? numerator : numerator.dividedExactly(by: divisor)
        var bottom = coprime ? denominator : denominator.dividedExactly(by: divisor)
        if bottom.isNegative {
            top = -top
            bottom = -bottom
        }
        self.numerator = top
        self.denominator = bottom
    }

    /// numerator/denominator already in lowest terms with denominator > 0: for callers that
    /// have just found the gcd to be 1 and need not have it found again.
    init(lowestTerms numerator: BigInt, _ denominator: BigInt) {
        self.numerator = numerator
        self.denominator = denominator
    }

    public init(_ value: Int) {
        self.init(BigInt(value))
    }

    /// numerator/denominator from machine integers; denominator ≠ 0.
    public init(_ numerator: Int, _ denominator: Int) {
        self.init(BigInt(numerator), BigInt(denominator))
    }

    public init(integerLiteral value: Int) {
        self.init(value)
    }

    public static let zero = Rational(0)
    public static let one = Rational(1)

    public var isZero: Bool { numerator.isZero }
    public var isInteger: Bool { denominator == .one }
    public var signum: Int { numerator.signum }

    /// `"3/4"`, `"-5"`.
    public var description: String {
        isInteger ? numerator.description : "\(numerator)/\(denominator)"
    }

    /// `\frac{3}{4}`, `-\frac{3}{4}`, `-5`.
    public var latex: String {
        if isInteger { return numerator.description }
        return (numerator.isNegative ? "-" : "") + "\\frac{\(numerator.magnitude)}{\(denominator)}"
    }

    public static func + (lhs: Rational, rhs: Rational) -> Rational {
        Rational(lhs.numerator * rhs.denominator + rhs.numerator * lhs.denominator, lhs.denominator * rhs.denominator)
    }

    public static func - (lhs: Rational, rhs: Rational) -> Rational {
        Rational(lhs.numerator * rhs.denominator - rhs.numerator * lhs.denominator, lhs.denominator * rhs.denominator)
    }

    public static func * (lhs: Rational, rhs: Rational) -> Rational {
        Rational(lhs.numerator * rhs.numerator, lhs.denominator * rhs.denominator)
    }

    /// `rhs` ≠ 0.
    public static func / (lhs: Rational, rhs: Rational) -> Rational {
        Rational(lhs.numerator * rhs.denominator, lhs.denominator * rhs.numerator)
    }

    /// Already in lowest terms: no gcd.
    public static prefix func - (value: Rational) -> Rational {
        Rational(lowestTerms: -value.numerator, value.denominator)
    }

    public static func < (lhs: Rational, rhs: Rational) -> Bool {
        lhs.numerator * rhs.denominator < rhs.numerator * lhs.denominator
    }
}
