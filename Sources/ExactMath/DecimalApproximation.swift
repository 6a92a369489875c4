/// Decimal renderings derived from exact values: never through a floating-point number.
public enum DecimalApproximation {
    /// The largest number of digits after the point a client may ask for.
    public static let maxDigits = 1000

    /// `value` rounded half away from zero to `digits` places: `"0.333"`, `"-2.50"`.
    public static func of(_ value: Rational, digits: Int) -> String {
        if let numerator = value.numerator.intValue, let denominator = value.denominator.intValue,
           let rounded = WordRounding.rounded(numerator: Int128(numerator), denominator: UInt128(denominator.magnitude), shift: digits) {
            return format(rounded, negative: numerator < 0, digits: digits)
        }
        return rationalInBigIntegers(value, digits: digits)
    }

    /// `of` without the machine-word shortcut (also what the shortcut is tested against).
    static func rationalInBigIntegers(_ value: Rational, digits: Int) -> String {
        let scale = BigInt.tenToThe(UInt(digits))
        let scaled = value.numerator.magnitude * scale * BigInt(2) + value.denominator
        let rounded = scaled.floorDivided(by: value.denominator * BigInt(2))
        return format(rounded, negative: value.isNegativeNonZero, digits: digits)
    }

    /// `(p + q·√m) / r` (q may be negative, r > 0, m > 0) to `digits` places, rounded
    /// half away from zero.
    ///
    /// ⌊|q|·√m·10^(digits+g)⌋ brackets the value in an interval one unit wide at g guard
    /// digits; when both ends round the same way, that is the rounding of the value (rounding is
    /// monotone). Otherwise the value is within 10^−g of a tie, and g grows until they agree —
    /// an irrational √m never sits exactly on a tie, so this ends (a rational one is rounded as
    /// a rational).
    public static func ofSurd(p: BigInt, q: BigInt, m: BigInt, r: BigInt, digits: Int) -> String {
        WordRounding.surd(p: p, q: q, m: m, r: r, digits: digits) ?? surdInBigIntegers(p: p, q: q, m: m, r: r, digits: digits)
    }

    /// `ofSurd` for (p − q·√m)/r and (p + q·√m)/r (q > 0): the two roots of a quadratic, whose
    /// machine-word roundings share one integer square root.
    public static func ofSurdPair(p: BigInt, q: BigInt, m: BigInt, r: BigInt, digits: Int) -> (minus: String, plus: String) {
        if let pair = WordRounding.surdPair(p: p, q: q, m: m, r: r, digits: digits) { return pair }
        return (ofSurd(p: p, q: -q, m: m, r: r, digits: digits), ofSurd(p: p, q: q, m: m, r: r, digits: digits))
    }

    /// `ofSurd` without the machine-word shortcut (also what the shortcut is tested against).
    static func surdInBigIntegers(p: BigInt, q: BigInt, m: BigInt, r: BigInt, digits: Int) -> String {
        // A rational value may sit exactly on a tie, where the bracketing below never agrees.
        if m.isPerfectSquare { return of(Rational(p + q * m.squareRootFloor, r), digits: digits) }
        var guardDigits = 10
        while true {
            let unit = BigInt.tenToThe(UInt(guardDigits))
            let scale = BigInt.tenToThe(UInt(digits + guardDigits))
            let root = (q * q * m * scale * scale).squareRootFloor  // |q|·√m·scale ∈ (root, root + 1)
            let base = p * scale
            let (low, high) = q.isNegative ? (base - root - 1, base - root) : (base + root, base + root + 1)
            let lower = roundedScaled(low, r: r, unit: unit)
            let upper = roundedScaled(high, r: r, unit: unit)
            if lower == upper { return format(lower.magnitude, negative: lower.negative, digits: digits) }
            guardDigits *= 2
        }
    }

    /// (N/r)/unit rounded half away from zero, as magnitude and sign (zero is never negative).
    private static func roundedScaled(_ numerator: BigInt, r: BigInt, unit: BigInt) -> (magnitude: BigInt, negative: Bool) {
        let twice = r * unit * BigInt(2)
        let magnitude = (numerator.magnitude * BigInt(2) + r * unit).floorDivided(by: twice)
        return (magnitude, numerator.isNegative && !magnitude.isZero)
    }

    /// `scaled`·10^(−digits) written out with exactly `digits` places.
    public static func format(_ scaled: BigInt, negative: Bool, digits: Int) -> String {
        format(scaled.description, negative: negative && !scaled.isZero, digits: digits)
    }

    /// The decimal digits of a non-negative scaled value, with the point put `digits` from the
    /// right; `negative` is ignored for zero.
    static func format(_ scaledDigits: String, negative: Bool, digits: Int) -> String {
        var scaledDigits = scaledDigits
        return scaledDigits.withUTF8 { format(digitsOf: $0, negative: negative, digits: digits) }
    }

    /// `format` of a machine-word value, its digits written on the stack (a `String(value)`
    /// first was a second allocation per decimal, and `UInt128`'s division by ten a runtime
    /// call per digit: the value is cut into 19-digit parts, each converted in 64 bits).
    static func format(_ scaled: UInt128, negative: Bool, digits: Int) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { buffer in
            var start = 40
            func emit(_ part: UInt64, fill: Bool) {
                var value = part
                var written = 0
                repeat {
                    start -= 1
                    buffer[start] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                    written += 1
                } while value > 0 || (fill && written < 19)
            }
            let tenToThe19: UInt128 = 10_000_000_000_000_000_000
            var rest = scaled
            while rest >= tenToThe19 {
                let (high, low) = rest.quotientAndRemainder(dividingBy: tenToThe19)
                emit(UInt64(low), fill: true)
                rest = high
            }
            emit(UInt64(rest), fill: false)
            return format(digitsOf: UnsafeBufferPointer(rebasing: buffer[start...]), negative: negative, digits: digits)
        }
    }

    private static func format(digitsOf source: UnsafeBufferPointer<UInt8>, negative: Bool, digits: Int) -> String {
        let isZero = source.allSatisfy { $0 == UInt8(ascii: "0") }
        let padding = max(0, digits - source.count + 1)  // at least one digit before the point
        let integerDigits = padding + source.count - digits
        let sign = negative && !isZero ? 1 : 0
        let length = sign + padding + source.count + (digits > 0 ? 1 : 0)
        // Written straight into the string's storage: one allocation.
        return String(unsafeUninitializedCapacity: length) { bytes in
            var index = 0
            if sign == 1 {
                bytes[0] = UInt8(ascii: "-")
                index = 1
            }
            var position = 0
            func push(_ byte: UInt8) {
                if digits > 0 && position == integerDigits {
                    bytes[index] = UInt8(ascii: ".")
                    index += 1
                }
                bytes[index] = byte
                index += 1
                position += 1
            }
            for _ in 0..<padding { push(UInt8(ascii: "0")) }
            for byte in source { push(byte) }
            return index
        }
    }
}

extension Rational {
    var isNegativeNonZero: Bool { numerator.isNegative }
}
