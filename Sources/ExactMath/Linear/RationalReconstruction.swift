import CGMP

/// Rational reconstruction modulo m = p^k in reused GMP integers: (n, d) with n ≡ d·u (mod m),
/// |n| < limit and d > 0, by the half-extended Euclidean algorithm.
///
/// The remainder sequence is walked in Lehmer rounds: the quotients are found from the leading
/// 62 bits of the two remainders in machine words (Knuth's Algorithm L, TAOCP 4.5.2), and only
/// the resulting 2×2 matrix is applied to the big numbers. One GMP division per quotient was the
/// largest part of reconstructing a 10×10 solution.
final class RationalReconstruction {
    private let modulus: BigInt
    private let limit: BigInt
    /// u = d·X mod m of the coordinate last looked at, in [0, m).
    private let residue = IntegerAccumulator()
    private let r0 = IntegerAccumulator(), r1 = IntegerAccumulator()
    private let t0 = IntegerAccumulator(), t1 = IntegerAccumulator()
    private let quotient = IntegerAccumulator()
    private let scratch0 = IntegerAccumulator(), scratch1 = IntegerAccumulator()

    init(modulus: BigInt, limit: BigInt) {
        self.modulus = modulus
        self.limit = limit
    }

    /// The numerator of the p-adic value X over `denominator`, when the symmetric residue of
    /// denominator·X is already below the limit; nil when it needs reconstructing (then
    /// `reconstruct()` works on that residue).
    func numerator(of value: BigInt, over denominator: BigInt) -> BigInt? {
        let u = residue.value.pointer
        modulus.withMPZ { m in
            value.withMPZ { x in denominator.withMPZ { d in __gmpz_mul(u, x, d) } }
            __gmpz_fdiv_r(u, u, m)
            // The symmetric representative in (−m/2, m/2], held in r0.
            __gmpz_mul_2exp(r0.value.pointer, u, 1)
            if __gmpz_cmp(r0.value.pointer, m) > 0 { __gmpz_sub(r0.value.pointer, u, m) } else { __gmpz_set(r0.value.pointer, u) }
        }
        let small = limit.withMPZ { __gmpz_cmpabs(r0.value.pointer, $0) < 0 }
        return small ? r0.snapshot : nil
    }

    /// Sets the residue directly (for tests of `reconstruct()`).
    func setResidue(_ value: BigInt) { residue.set(value) }

    /// (n, d) for the residue `numerator(of:over:)` left, or nil when no such pair exists.
    func reconstruct() -> (BigInt, BigInt)? {
        let (a, b, s, t) = (r0.value.pointer, r1.value.pointer, t0.value.pointer, t1.value.pointer)
        modulus.withMPZ { __gmpz_set(a, $0) }
        __gmpz_set(b, residue.value.pointer)
        __gmpz_set_ui(s, 0)
        __gmpz_set_ui(t, 1)
        // Invariants: a ≡ s·u and b ≡ t·u (mod m), a > b ≥ 0, and a ≥ limit: the answer is the
        // first remainder below the limit, so no step may carry a below it.
        let found: Bool = limit.withMPZ { bound in
            while __gmpz_cmpabs(b, bound) >= 0 {
                if !lehmerRound(bound) { euclideanStep() }
                if b.pointee._mp_size == 0 { return false }
            }
            return t.pointee._mp_size != 0
        }
        guard found else { return nil }
        if t.pointee._mp_size < 0 {
            __gmpz_neg(b, b)
            __gmpz_neg(t, t)
        }
        return (r1.snapshot, t1.snapshot)
    }

    /// (a, b) ← (b, a − q·b); (s, t) ← (t, s − q·t) with q = ⌊a/b⌋.
    private func euclideanStep() {
        let (a, b, s, t, q) = (r0.value.pointer, r1.value.pointer, t0.value.pointer, t1.value.pointer, quotient.value.pointer)
        __gmpz_fdiv_qr(q, a, a, b)
        __gmpz_swap(a, b)
        __gmpz_submul(s, q, t)
        __gmpz_swap(s, t)
    }

    /// As many Euclidean steps as the leading 62 bits of a and b decide, applied at once; false
    /// when they decide none (a word-sized a, or a first quotient too large to read there).
    ///
    /// With a = â·2^k + ε (0 ≤ ε < 2^k) and likewise b, after steps with matrix [[A, B], [C, D]]
    /// the true remainder C·a + D·b differs from its estimate C·â + D·b̂ (scaled by 2^k) by less
    /// than (|C| + |D|)·2^k. A step is taken only while that bound keeps the remainder that
    /// becomes the new a at or above the limit.
    private func lehmerRound(_ bound: UnsafePointer<__mpz_struct>) -> Bool {
        let (a, b, s, t) = (r0.value.pointer, r1.value.pointer, t0.value.pointer, t1.value.pointer)
        let bits = Int(__gmpz_sizeinbase(a, 2))
        guard bits > 62 else { return false }
        let shift = bits - 62
        var (aHat, bHat) = (Int64(Self.bits(of: a, shiftedRightBy: shift)), Int64(Self.bits(of: b, shiftedRightBy: shift)))
        let boundHat = Int64(Self.bits(of: bound, shiftedRightBy: shift))
        var (A, B, C, D): (Int64, Int64, Int64, Int64) = (1, 0, 0, 1)
        while bHat + C != 0 && bHat + D != 0 {
            let q = (aHat + A) / (bHat + C)
            guard q == (aHat + B) / (bHat + D) else { break }
            // |C|, |D| ≤ 2^62 here, so their magnitudes fit an Int64.
            guard bHat - Int64(C.magnitude) - Int64(D.magnitude) > boundHat else { break }
            (A, C) = (C, A - q * C)
            (B, D) = (D, B - q * D)
            (aHat, bHat) = (bHat, aHat - q * bHat)
        }
        guard B != 0 else { return false }
        let (x, y) = (scratch0.value.pointer, scratch1.value.pointer)
        Self.combine(x, a, A, b, B)
        Self.combine(y, a, C, b, D)
        __gmpz_swap(a, x)
        __gmpz_swap(b, y)
        Self.combine(x, s, A, t, B)
        Self.combine(y, s, C, t, D)
        __gmpz_swap(s, x)
        __gmpz_swap(t, y)
        return true
    }

    /// out = x·k₁ + y·k₂ (out distinct from x and y).
    private static func combine(
        _ out: UnsafeMutablePointer<__mpz_struct>, _ x: UnsafePointer<__mpz_struct>, _ k1: Int64,
        _ y: UnsafePointer<__mpz_struct>, _ k2: Int64
    ) {
        __gmpz_mul_si(out, x, Int(k1))
        if k2 >= 0 { __gmpz_addmul_ui(out, y, UInt(k2)) } else { __gmpz_submul_ui(out, y, UInt(k2.magnitude)) }
    }

    /// ⌊|z| / 2^shift⌋ for a result below 2^63, read from the limbs.
    static func bits(of z: UnsafePointer<__mpz_struct>, shiftedRightBy shift: Int) -> UInt64 {
        let size = Int(Swift.abs(z.pointee._mp_size))
        let (index, offset) = (shift / 64, shift % 64)
        guard index < size else { return 0 }
        var value = UInt64(z.pointee._mp_d[index]) >> offset
        if offset > 0 && index + 1 < size { value |= UInt64(z.pointee._mp_d[index + 1]) << (64 - offset) }
        return value
    }
}
