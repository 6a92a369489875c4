import CGMP

/// Owns one heap-allocated GMP integer. Never mutated after the `BigInt` that holds it is built,
/// which is what gives `BigInt` value semantics without copy-on-write.
final class GMPInteger: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<__mpz_struct>

    init() {
        pointer = .allocate(capacity: 1)
        __gmpz_init(pointer)
    }

    deinit {
        __gmpz_clear(pointer)
        pointer.deallocate()
    }
}

/// An arbitrary-precision integer backed by GMP.
///
/// Immutable: every operation writes into a fresh GMP value, so values can be shared across
/// tasks freely and no operation ever aliases its output with an input.
public struct BigInt: Sendable, Hashable, Comparable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    let storage: GMPInteger

    init(storage: GMPInteger) {
        self.storage = storage
    }

    /// Builds a result by letting `body` write into a fresh GMP integer (also for modules that
    /// drive GMP or MPFR directly and hand back an integer).
    public static func make(_ body: (UnsafeMutablePointer<__mpz_struct>) -> Void) -> BigInt {
        let storage = GMPInteger()
        body(storage.pointer)
        return BigInt(storage: storage)
    }

    /// Read access to the GMP integer, for modules that drive GMP or MPFR directly.
    public func withMPZ<T>(_ body: (UnsafePointer<__mpz_struct>) -> T) -> T {
        body(storage.pointer)
    }

    public init(_ value: Int) {
        self = BigInt.make { __gmpz_set_si($0, value) }
    }

    public init(integerLiteral value: Int) {
        self.init(value)
    }

    /// Parses an optionally signed run of decimal digits; nil for anything else.
    public init?(_ text: some StringProtocol) {
        var digits = Substring(text)
        var negative = false
        if digits.first == "-" || digits.first == "+" {
            negative = digits.first == "-"
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        let storage = GMPInteger()
        let status = String(digits).withCString { __gmpz_set_str(storage.pointer, $0, 10) }
        guard status == 0 else { return nil }
        if negative { __gmpz_neg(storage.pointer, storage.pointer) }
        self.storage = storage
    }

    public static let zero = BigInt(0)
    public static let one = BigInt(1)

    /// -1, 0 or 1.
    public var signum: Int {
        let size = storage.pointer.pointee._mp_size
        return size > 0 ? 1 : (size < 0 ? -1 : 0)
    }

    public var isZero: Bool { signum == 0 }
    public var isNegative: Bool { signum < 0 }

    /// The value as an `Int` when it fits.
    public var intValue: Int? {
        __gmpz_fits_slong_p(storage.pointer) != 0 ? __gmpz_get_si(storage.pointer) : nil
    }

    /// Number of decimal digits of the magnitude (exact).
    public var decimalDigitCount: Int {
        isZero ? 1 : magnitude.description.utf8.count
    }

    public var magnitude: BigInt {
        BigInt.make { __gmpz_abs($0, storage.pointer) }
    }

    public var description: String {
        let size = __gmpz_sizeinbase(storage.pointer, 10) + 2
        var buffer = [CChar](repeating: 0, count: size)
        return buffer.withUnsafeMutableBufferPointer { raw -> String in
            guard let base = raw.baseAddress else { return "0" }
            __gmpz_get_str(base, 10, storage.pointer)
            return String(cString: base)
        }
    }

    public static func == (lhs: BigInt, rhs: BigInt) -> Bool {
        __gmpz_cmp(lhs.storage.pointer, rhs.storage.pointer) == 0
    }

    public static func < (lhs: BigInt, rhs: BigInt) -> Bool {
        __gmpz_cmp(lhs.storage.pointer, rhs.storage.pointer) < 0
    }

    public func hash(into hasher: inout Hasher) {
        // The limbs in order plus the signed size identify the value; no string round trip.
        let raw = storage.pointer.pointee
        hasher.combine(raw._mp_size)
        let count = Int(Swift.abs(raw._mp_size))
        for index in 0..<count { hasher.combine(raw._mp_d[index]) }
    }

    public static func + (lhs: BigInt, rhs: BigInt) -> BigInt {
        make { __gmpz_add($0, lhs.storage.pointer, rhs.storage.pointer) }
    }

    public static func - (lhs: BigInt, rhs: BigInt) -> BigInt {
        make { __gmpz_sub($0, lhs.storage.pointer, rhs.storage.pointer) }
    }

    public static func * (lhs: BigInt, rhs: BigInt) -> BigInt {
        make { __gmpz_mul($0, lhs.storage.pointer, rhs.storage.pointer) }
    }

    public static prefix func - (value: BigInt) -> BigInt {
        make { __gmpz_neg($0, value.storage.pointer) }
    }

    /// Quotient rounded toward zero and the remainder with the dividend's sign. `divisor` ≠ 0.
    public func quotientAndRemainder(dividingBy divisor: BigInt) -> (quotient: BigInt, remainder: BigInt) {
        precondition(!divisor.isZero, "division by zero")
        let quotient = GMPInteger()
        let remainder = GMPInteger()
        __gmpz_tdiv_qr(quotient.pointer, remainder.pointer, storage.pointer, divisor.storage.pointer)
        return (BigInt(storage: quotient), BigInt(storage: remainder))
    }

    /// Quotient rounded toward negative infinity. `divisor` ≠ 0.
    public func floorDivided(by divisor: BigInt) -> BigInt {
        precondition(!divisor.isZero, "division by zero")
        return BigInt.make { __gmpz_fdiv_q($0, storage.pointer, divisor.storage.pointer) }
    }

    /// Exact division, when `divisor` is known to divide this value.
    public func dividedExactly(by divisor: BigInt) -> BigInt {
        precondition(!divisor.isZero, "division by zero")
        return BigInt.make { __gmpz_divexact($0, storage.pointer, divisor.storage.pointer) }
    }

    public func isDivisible(by divisor: BigInt) -> Bool {
        __gmpz_divisible_p(storage.pointer, divisor.storage.pointer) != 0
    }

    public static func gcd(_ lhs: BigInt, _ rhs: BigInt) -> BigInt {
        make { __gmpz_gcd($0, lhs.storage.pointer, rhs.storage.pointer) }
    }

    public func power(_ exponent: UInt) -> BigInt {
        BigInt.make { __gmpz_pow_ui($0, storage.pointer, exponent) }
    }

    public static func tenToThe(_ exponent: UInt) -> BigInt {
        make { __gmpz_ui_pow_ui($0, 10, exponent) }
    }

    /// ⌊√self⌋ for self ≥ 0.
    public var squareRootFloor: BigInt {
        precondition(signum >= 0, "square root of a negative number")
        return BigInt.make { __gmpz_sqrt($0, storage.pointer) }
    }

    /// The exact `n`-th root when self is a perfect `n`-th power (n ≥ 1; self ≥ 0 for even n).
    public func exactRoot(_ n: UInt) -> BigInt? {
        guard n >= 1, signum >= 0 || n % 2 == 1 else { return nil }
        var exact: Int32 = 0
        let root = BigInt.make { exact = __gmpz_root($0, storage.pointer, n) }
        return exact != 0 ? root : nil
    }

    /// Bits in the magnitude (0 for zero).
    public var bitWidth: Int {
        isZero ? 0 : Int(__gmpz_sizeinbase(storage.pointer, 2))
    }

    /// self mod m for a word-sized modulus m > 0, in 0..<m.
    public func remainder(modulo m: UInt) -> UInt {
        UInt(__gmpz_fdiv_ui(storage.pointer, m))
    }

    public var isPerfectSquare: Bool {
        __gmpz_perfect_square_p(storage.pointer) != 0
    }

    /// Removes every factor `factor` (> 1) from self; returns the rest and how many were removed.
    public func removingFactor(_ factor: BigInt) -> (rest: BigInt, count: Int) {
        var count = 0
        let rest = BigInt.make { count = Int(__gmpz_remove($0, storage.pointer, factor.storage.pointer)) }
        return (rest, count)
    }
}
