/// Arithmetic modulo word-sized primes below 2^31, so that a product of two residues fits in a
/// `UInt64` and reduces with one `%`.
enum ModularArithmetic {
    /// Primes just below 2^31, used in order by the modular solvers.
    static let primes: [UInt64] = {
        var found: [UInt64] = []
        var candidate: UInt64 = (1 << 31) - 1
        while found.count < 256 {
            if isPrime(candidate) { found.append(candidate) }
            candidate -= 2
        }
        return found
    }()

    static func isPrime(_ n: UInt64) -> Bool {
        if n < 2 { return false }
        if n % 2 == 0 { return n == 2 }
        var d: UInt64 = 3
        while d * d <= n {
            if n % d == 0 { return false }
            d += 2
        }
        return true
    }

    /// a⁻¹ mod p for a ≢ 0, by the extended Euclidean algorithm: about log_φ(p) ≈ 45 small
    /// divisions at most, where Fermat's a^(p−2) took 62 full 64-bit reductions (it was a third
    /// of a 10×10 factorisation).
    /// The remainders stay below 2^31, so the quotients are 32-bit divisions (several times
    /// cheaper than 64-bit ones on this hardware).
    static func inverse(_ a: UInt64, _ p: UInt64) -> UInt64 {
        var (r0, r1) = (UInt32(truncatingIfNeeded: p), UInt32(truncatingIfNeeded: a % p))
        var (t0, t1): (Int64, Int64) = (0, 1)
        while r1 != 0 {
            let q = r0 / r1
            (r0, r1) = (r1, r0 - q * r1)
            (t0, t1) = (t1, t0 - Int64(q) * t1)
        }
        return UInt64(t0 < 0 ? t0 + Int64(p) : t0)
    }

    /// p⁻¹ modulo 2^64 for odd p (Newton's iteration, five steps from 3 correct bits): x·p⁻¹
    /// wrapped is x/p for every x divisible by p, negative ones included — an exact division
    /// by a multiply.
    static func inverseModuloWord(_ p: UInt64) -> UInt64 {
        var inverse = p  // p·p ≡ 1 (mod 8) for odd p
        for _ in 0..<5 { inverse = inverse &* (2 &- p &* inverse) }
        return inverse
    }

    /// The residue of a signed machine integer.
    static func residue(_ value: Int, _ p: UInt64) -> UInt64 {
        let r = value % Int(p)
        return UInt64(r < 0 ? r + Int(p) : r)
    }
}
