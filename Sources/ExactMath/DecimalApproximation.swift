/// Decimal renderings derived from exact values: never through a floating-point number.
public enum DecimalApproximation {
    /// The largest number of digits after the point a client may ask for.
    public static let maxDigits = 1000

    /// `value` rounded half away from zero to `digits` places: `"0.333"`, `"-2.50"`.
    public static func of(_ value: Rational, digits: Int) -> String {
        let scale = BigInt.tenToThe(UInt(digits))
        let scaled = value.numerator.magnitude * scale * BigInt(2) + value.denominator
        let rounded = scaled.floorDivided(by: value.denominator * BigInt(2))
        return format(rounded, negative: value.isNegativeNonZero, digits: digits)
    }

    /// `(p + q·√m) / r` (q may be negative) to `digits` places, rounded half away from zero.
    /// √m is irrational when this is used, so the value is never exactly on a rounding tie;
    /// ten guard digits make the rounding decision exact in all but astronomically rare cases.
    public static func ofSurd(p: BigInt, q: BigInt, m: BigInt, r: BigInt, digits: Int) -> String {
        let guardDigits = 10
        let scale = BigInt.tenToThe(UInt(digits + guardDigits))
        // ⌊|q|·√m·scale⌋ = ⌊√(q²·m·scale²)⌋, then the sign of q.
        let rootPart = (q * q * m * scale * scale).squareRootFloor
        let numeratorScaled = p * scale + (q.isNegative ? -rootPart : rootPart)
        let value = Rational(numeratorScaled, r)  // value·10^(digits+guard), approximately
        let negative = value.isNegativeNonZero
        let magnitude = value.numerator.magnitude.floorDivided(by: value.denominator)
        let unit = BigInt.tenToThe(UInt(guardDigits))
        let rounded = (magnitude * BigInt(2) + unit).floorDivided(by: unit * BigInt(2))
        return format(rounded, negative: negative, digits: digits)
    }

    /// `scaled`·10^(−digits) written out with exactly `digits` places.
    public static func format(_ scaled: BigInt, negative: Bool, digits: Int) -> String {
        var text = scaled.description
        if digits > 0 {
            if text.count <= digits { text = String(repeating: "0", count: digits - text.count + 1) + text }
            text.insert(".", at: text.index(text.endIndex, offsetBy: -digits))
        }
        let isZero = scaled.isZero
        return (negative && !isZero ? "-" : "") + text
    }
}

extension Rational {
    var isNegativeNonZero: Bool { numerator.isNegative }
}
