import CGMP

/// Owns one heap-allocated GMP integer. Never mutated after the `BigInt` that holds it is built,
/// which is what gives `BigInt` value semantics without copy-on-write.
@usableFromInline
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

/// An arbitrary-precision integer: a machine word while the value fits in one, a GMP integer
/// beyond. Most numbers a solver meets (coefficients, exponents, small denominators) are small,
/// and keeping them out of the heap is what makes the exact arithmetic cheap; GMP takes over
/// transparently on overflow.
///
/// Immutable: every operation produces a fresh value, so values can be shared across tasks
/// freely and no operation ever aliases its output with an input. The representation is
/// canonical (a value that fits in an `Int` is always stored inline), so equality and hashing
/// can look at the representation.
public struct BigInt: Sendable, Hashable, Comparable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    @usableFromInline
    enum Storage: Sendable {
        case small(Int)
        case large(GMPInteger)
    }

    @usableFromInline
    let storage: Storage

    private init(small value: Int) {
        storage = .small(value)
    }

    /// Canonicalises a GMP result: back to a machine word when it fits.
    private init(normalizing gmp: GMPInteger) {
        if __gmpz_fits_slong_p(gmp.pointer) != 0 {
            storage = .small(__gmpz_get_si(gmp.pointer))
        } else {
            storage = .large(gmp)
        }
    }

    /// Builds a result by letting `body` write into a fresh GMP integer (also for modules that
    /// drive GMP or MPFR directly and hand back an integer).
    public static func make(_ body: (UnsafeMutablePointer<__mpz_struct>) -> Void) -> BigInt {
        let gmp = GMPInteger()
        body(gmp.pointer)
        return BigInt(normalizing: gmp)
    }

    /// Read access to the value as a GMP integer, for code that drives GMP or MPFR directly.
    /// A small value is presented through a read-only view of a stack limb (no allocation).
    public func withMPZ<T>(_ body: (UnsafePointer<__mpz_struct>) -> T) -> T {
        switch storage {
        case .large(let gmp):
            return body(gmp.pointer)
        case .small(let value):
            var limb = mp_limb_t(value.magnitude)
            var view = __mpz_struct()
            let size: mp_size_t = value == 0 ? 0 : (value < 0 ? -1 : 1)
            return withUnsafeMutablePointer(to: &limb) { limbPointer in
                withUnsafeMutablePointer(to: &view) { viewPointer in
                    body(__gmpz_roinit_n(viewPointer, limbPointer, size))
                }
            }
        }
    }

    /// A GMP operation on two operands into a fresh result.
    private static func binary(
        _ lhs: BigInt, _ rhs: BigInt,
        _ operation: (UnsafeMutablePointer<__mpz_struct>, UnsafePointer<__mpz_struct>, UnsafePointer<__mpz_struct>) -> Void
    ) -> BigInt {
        lhs.withMPZ { a in rhs.withMPZ { b in make { operation($0, a, b) } } }
    }

    private func unary(_ operation: (UnsafeMutablePointer<__mpz_struct>, UnsafePointer<__mpz_struct>) -> Void) -> BigInt {
        withMPZ { a in BigInt.make { operation($0, a) } }
    }

    public init(_ value: Int) {
        storage = .small(value)
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
        if digits.utf8.count <= 18, let value = Int(digits) {
            self.init(small: negative ? -value : value)
            return
        }
        let gmp = GMPInteger()
        let status = String(digits).withCString { __gmpz_set_str(gmp.pointer, $0, 10) }
        guard status == 0 else { return nil }
        if negative { __gmpz_neg(gmp.pointer, gmp.pointer) }
        self.init(normalizing: gmp)
    }

    public static let zero = BigInt(0)
    public static let one = BigInt(1)

    /// -1, 0 or 1.
    public var signum: Int {
        switch storage {
        case .small(let value): return value.signum()
        case .large(let gmp):
            let size = gmp.pointer.pointee._mp_size
            return size > 0 ? 1 : (size < 0 ? -1 : 0)
        }
    }

    public var isZero: Bool { signum == 0 }
    public var isNegative: Bool { signum < 0 }

    /// The value as an `Int` when it fits.
    @inlinable
    public var intValue: Int? {
        if case .small(let value) = storage { return value }
        return nil
    }

    /// Number of decimal digits of the magnitude (exact).
    public var decimalDigitCount: Int {
        isZero ? 1 : magnitude.description.utf8.count
    }

    public var magnitude: BigInt {
        if case .small(let value) = storage, value != .min { return BigInt(small: Swift.abs(value)) }
        return unary { __gmpz_abs($0, $1) }
    }

    public var description: String {
        if case .small(let value) = storage { return String(value) }
        return withMPZ { pointer in
            let size = __gmpz_sizeinbase(pointer, 10) + 2
            var buffer = [CChar](repeating: 0, count: size)
            return buffer.withUnsafeMutableBufferPointer { raw -> String in
                guard let base = raw.baseAddress else { return "0" }
                __gmpz_get_str(base, 10, pointer)
                return String(cString: base)
            }
        }
    }

    public static func == (lhs: BigInt, rhs: BigInt) -> Bool {
        switch (lhs.storage, rhs.storage) {
        case (.small(let a), .small(let b)): return a == b
        case (.small, .large), (.large, .small): return false  // canonical: large never fits a word
        case (.large(let a), .large(let b)): return __gmpz_cmp(a.pointer, b.pointer) == 0
        }
    }

    public static func < (lhs: BigInt, rhs: BigInt) -> Bool {
        if case .small(let a) = lhs.storage, case .small(let b) = rhs.storage { return a < b }
        return lhs.withMPZ { a in rhs.withMPZ { b in __gmpz_cmp(a, b) < 0 } }
    }

    public func hash(into hasher: inout Hasher) {
        switch storage {
        case .small(let value):
            hasher.combine(value)
        case .large(let gmp):
            // The limbs in order plus the signed size identify the value; no string round trip.
            let raw = gmp.pointer.pointee
            hasher.combine(raw._mp_size)
            for index in 0..<Int(Swift.abs(raw._mp_size)) { hasher.combine(raw._mp_d[index]) }
        }
    }

    public static func + (lhs: BigInt, rhs: BigInt) -> BigInt {
        if case .small(let a) = lhs.storage, case .small(let b) = rhs.storage {
            let (sum, overflow) = a.addingReportingOverflow(b)
            if !overflow { return BigInt(small: sum) }
        }
        return binary(lhs, rhs) { __gmpz_add($0, $1, $2) }
    }

    public static func - (lhs: BigInt, rhs: BigInt) -> BigInt {
        if case .small(let a) = lhs.storage, case .small(let b) = rhs.storage {
            let (difference, overflow) = a.subtractingReportingOverflow(b)
            if !overflow { return BigInt(small: difference) }
        }
        return binary(lhs, rhs) { __gmpz_sub($0, $1, $2) }
    }

    public static func * (lhs: BigInt, rhs: BigInt) -> BigInt {
        if case .small(let a) = lhs.storage, case .small(let b) = rhs.storage {
            let (product, overflow) = a.multipliedReportingOverflow(by: b)
            if !overflow { return BigInt(small: product) }
        }
        return binary(lhs, rhs) { __gmpz_mul($0, $1, $2) }
    }

    public static prefix func - (value: BigInt) -> BigInt {
        if case .small(let a) = value.storage, a != .min { return BigInt(small: -a) }
        return value.unary { __gmpz_neg($0, $1) }
    }

    /// Quotient rounded toward zero and the remainder with the dividend's sign. `divisor` ≠ 0.
    public func quotientAndRemainder(dividingBy divisor: BigInt) -> (quotient: BigInt, remainder: BigInt) {
        precondition(!divisor.isZero, "division by zero")
        if case .small(let a) = storage, case .small(let b) = divisor.storage, !(a == .min && b == -1) {
            return (BigInt(small: a / b), BigInt(small: a % b))
        }
        let quotient = GMPInteger()
        let remainder = GMPInteger()
        withMPZ { a in divisor.withMPZ { b in __gmpz_tdiv_qr(quotient.pointer, remainder.pointer, a, b) } }
        return (BigInt(normalizing: quotient), BigInt(normalizing: remainder))
    }

    /// Quotient rounded toward negative infinity. `divisor` ≠ 0.
    public func floorDivided(by divisor: BigInt) -> BigInt {
        precondition(!divisor.isZero, "division by zero")
        if case .small(let a) = storage, case .small(let b) = divisor.storage, !(a == .min && b == -1) {
            let quotient = a / b
            return BigInt(small: (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient)
        }
        return BigInt.binary(self, divisor) { __gmpz_fdiv_q($0, $1, $2) }
    }

    /// Exact division, when `divisor` is known to divide this value.
    public func dividedExactly(by divisor: BigInt) -> BigInt {
        precondition(!divisor.isZero, "division by zero")
        if case .small(let a) = storage, case .small(let b) = divisor.storage, !(a == .min && b == -1) {
            return BigInt(small: a / b)
        }
        return BigInt.binary(self, divisor) { __gmpz_divexact($0, $1, $2) }
    }

    public func isDivisible(by divisor: BigInt) -> Bool {
        if case .small(let a) = storage, case .small(let b) = divisor.storage {
            if b == 0 { return a == 0 }
            if b == -1 { return true }
            return a % b == 0
        }
        return withMPZ { a in divisor.withMPZ { b in __gmpz_divisible_p(a, b) != 0 } }
    }

    public static func gcd(_ lhs: BigInt, _ rhs: BigInt) -> BigInt {
        if case .small(let a) = lhs.storage, case .small(let b) = rhs.storage {
            var (x, y) = (a.magnitude, b.magnitude)
            while y != 0 { (x, y) = (y, x % y) }
            if x <= UInt(Int.max) { return BigInt(small: Int(x)) }
        }
        return binary(lhs, rhs) { __gmpz_gcd($0, $1, $2) }
    }

    /// The least common multiple of two non-zero integers (positive when both are).
    public static func lcm(_ lhs: BigInt, _ rhs: BigInt) -> BigInt {
        lhs.dividedExactly(by: gcd(lhs, rhs)) * rhs
    }

    public func power(_ exponent: UInt) -> BigInt {
        if case .small(let base) = storage {
            switch base {
            case 0: return exponent == 0 ? .one : .zero
            case 1: return .one
            case -1: return exponent % 2 == 0 ? .one : BigInt(small: -1)
            default:
                // |base| ≥ 2 overflows a word past 63 factors, so the loop is short.
                var result = 1
                var fits = exponent < 64
                if fits {
                    for _ in 0..<exponent {
                        let (next, overflow) = result.multipliedReportingOverflow(by: base)
                        if overflow { fits = false; break }
                        result = next
                    }
                }
                if fits { return BigInt(small: result) }
            }
        }
        return unary { __gmpz_pow_ui($0, $1, exponent) }
    }

    public static func tenToThe(_ exponent: UInt) -> BigInt {
        make { __gmpz_ui_pow_ui($0, 10, exponent) }
    }

    /// ⌊√self⌋ for self ≥ 0.
    public var squareRootFloor: BigInt {
        precondition(signum >= 0, "square root of a negative number")
        if case .small(let value) = storage {
            return BigInt(small: Int(WordRounding.squareRootFloor(UInt128(value))))
        }
        return unary { __gmpz_sqrt($0, $1) }
    }

    public var isPerfectSquare: Bool {
        withMPZ { __gmpz_perfect_square_p($0) != 0 }
    }

    /// The exact `n`-th root when self is a perfect `n`-th power (n ≥ 1; self ≥ 0 for even n).
    public func exactRoot(_ n: UInt) -> BigInt? {
        guard n >= 1, signum >= 0 || n % 2 == 1 else { return nil }
        var exact: Int32 = 0
        let root = unary { exact = __gmpz_root($0, $1, n) }
        return exact != 0 ? root : nil
    }

    /// Bits in the magnitude (0 for zero).
    public var bitWidth: Int {
        if case .small(let value) = storage { return Int.bitWidth - value.magnitude.leadingZeroBitCount }
        return withMPZ { Int(__gmpz_sizeinbase($0, 2)) }
    }

    /// self mod m for a word-sized modulus m > 0, in 0..<m.
    public func remainder(modulo m: UInt) -> UInt {
        if case .small(let value) = storage {
            let r = value.magnitude % m
            return value < 0 && r != 0 ? m - r : r
        }
        return withMPZ { UInt(__gmpz_fdiv_ui($0, m)) }
    }

    /// Removes every factor `factor` (> 1) from self; returns the rest and how many were removed.
    public func removingFactor(_ factor: BigInt) -> (rest: BigInt, count: Int) {
        var count = 0
        if case .small(var rest) = storage, case .small(let divisor) = factor.storage, divisor > 1 {
            while rest != 0, rest % divisor == 0 {
                rest /= divisor
                count += 1
            }
            return (BigInt(small: rest), count)
        }
        let rest = withMPZ { a in factor.withMPZ { f in BigInt.make { count = Int(__gmpz_remove($0, a, f)) } } }
        return (rest, count)
    }
}
