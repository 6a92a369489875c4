import CGMP

/// The lifting loop for entries a few machine words long (too large for `SmallIntegerLifting`):
/// A·x for a p-adic digit x (entries below 2^31) is computed one 64-bit limb of the entries at a
/// time, in 128-bit machine sums, and each row's total reaches GMP once. The general loop called
/// GMP once per entry per digit (`mpz_submul_ui`, ~15 ns of call overhead on a two-limb number):
/// for n = 50 with 30-digit entries that was 2,500 calls on each of ~340 digits, most of the solve.
///
/// With entries of at most `maxLimbs` limbs, |limb·x| < 2^95 and a row sums at most n of them,
/// so a plane's sum fits an `Int128` for any n below 2^31.
struct LimbPlaneLifting {
    /// Entries longer than this go through the general loop, whose per-call overhead no longer
    /// matters against the work per entry.
    static let maxLimbs = 4

    let n: Int
    let p: UInt64
    let limbCount: Int
    /// Limb t of |a_ij| at t·n² + i·n + j (zero past an entry's length).
    private let limbs: [UInt64]
    /// 0 for a non-negative entry, −1 (all ones) for a negative one, at i·n + j.
    private let signs: [Int128]
    private let rhs: [BigInt]

    init?(_ a: [[BigInt]], _ b: [BigInt], p: UInt64) {
        let n = a.count
        var limbCount = 1
        for row in a {
            for value in row[0..<n] { limbCount = max(limbCount, value.limbCount) }
        }
        guard limbCount <= Self.maxLimbs, n < (1 << 31), p < (1 << 31) else { return nil }
        var limbs = [UInt64](repeating: 0, count: limbCount * n * n)
        var signs = [Int128](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                if a[i][j].writeLimbs(into: &limbs, offset: i * n + j, stride: n * n) { signs[i * n + j] = -1 }
            }
        }
        self.n = n
        self.p = p
        self.limbCount = limbCount
        self.limbs = limbs
        self.signs = signs
        self.rhs = b
    }

    /// The p-adic digits of A⁻¹·b, as `DixonSolver`'s general loop computes them (digit k of xⱼ
    /// at k·n + j).
    func lift(_ lu: ModularLU, digitCount: Int, deadline: Deadline?) throws(DeadlineExceeded) -> [UInt64] {
        let residual = rhs.map { IntegerAccumulator($0) }
        let rowSum = IntegerAccumulator()
        var digits: [UInt64] = []
        digits.reserveCapacity(digitCount * n)
        var total = SignedLimbSum(limbCount: limbCount + 2)
        for step in 0..<digitCount {
            if step & 7 == 0 { try deadline?.check() }
            let x = lu.solve(residual.map { UInt64($0.residue(UInt(p))) })
            for i in 0..<n {
                total.reset()
                for t in 0..<limbCount { total.add(planeSum(t, row: i, x), atLimb: t) }
                total.store(into: rowSum)
                __gmpz_sub(residual[i].value.pointer, residual[i].value.pointer, rowSum.value.pointer)
                residual[i].divideExactly(by: UInt(p))
            }
            digits.append(contentsOf: x)
        }
        return digits
    }

    /// Σ_j ±limb_t(a_ij)·x_j.
    private func planeSum(_ t: Int, row i: Int, _ x: [UInt64]) -> Int128 {
        limbs.withUnsafeBufferPointer { limbs in
            signs.withUnsafeBufferPointer { signs in
                x.withUnsafeBufferPointer { x in
                    var sum: Int128 = 0
                    let base = t * n * n + i * n
                    let signBase = i * n
                    for j in 0..<n {
                        let (high, low) = limbs[base + j].multipliedFullWidth(by: x[j])
                        let product = Int128(bitPattern: UInt128(high) << 64 | UInt128(low))
                        let mask = signs[signBase + j]
                        sum &+= (product ^ mask) &- mask
                    }
                    return sum
                }
            }
        }
    }
}
