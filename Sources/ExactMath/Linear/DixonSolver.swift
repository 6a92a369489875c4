import CGMP
import Foundation

/// Solves a square, non-singular integer system A·x = b exactly by Dixon's p-adic lifting:
/// one LU factorisation modulo a word prime p, then O(n²) work per p-adic digit of the solution,
/// and rational reconstruction of the p-adic approximation once it has enough digits (Hadamard's
/// bound decides how many). The determinant follows from the solution's common denominator and
/// a few more primes (Chinese remaindering up to the bound). Every answer is checked with
/// A·x = b in exact arithmetic before it is returned.
enum DixonSolver {
    struct Solution {
        /// x = numerators / denominator, denominator > 0.
        var numerators: [BigInt]
        var denominator: BigInt
        /// nil when not asked for.
        var determinant: BigInt?

        /// xⱼ = numeratorⱼ/denominator in lowest terms. The gcds go into one reused GMP integer,
        /// and a coordinate already in lowest terms (the common case) is built without a second
        /// gcd or any division: the ten gcds of a 10×10 answer were a tenth of its solve.
        var values: [Rational] {
            let divisor = IntegerAccumulator()
            return numerators.map { numerator in
                numerator.withMPZ { n in denominator.withMPZ { d in __gmpz_gcd(divisor.value.pointer, n, d) } }
                if __gmpz_cmp_ui(divisor.value.pointer, 1) == 0 { return Rational(lowestTerms: numerator, denominator) }
                let common = divisor.snapshot
                return Rational(lowestTerms: numerator.dividedExactly(by: common), denominator.dividedExactly(by: common))
            }
        }
    }

    /// nil when A is singular (or singular modulo the first primes tried, which for a
    /// non-singular A is astronomically unlikely); the caller then eliminates exactly. A's rows
    /// may be longer than n = a.count (the augmented matrix): only their first n entries are read.
    static func solve(_ a: [[BigInt]], _ b: [BigInt], determinant wantsDeterminant: Bool = true, deadline: Deadline?) throws(DeadlineExceeded) -> Solution? {
        let n = a.count
        guard n > 0 else { return nil }
        var chosen: ModularLU?
        var primeIndex = 0
        while chosen == nil && primeIndex < 3 {
            chosen = ModularLU(a, prime: ModularArithmetic.primes[primeIndex])
            primeIndex += 1
        }
        guard let lu = chosen else { return nil }
        try deadline?.check()
        let p = lu.p

        // Hadamard: |det| and every Cramer numerator are at most Π_i ‖(row_i, b_i)‖ (log₂ summed
        // in floating point with a little slack, which keeps the digit count tight).
        let small = SmallIntegerLifting(a, b, p: p)
        var boundLog = 0.0
        var matrixBoundLog = 0.0
        if let small {
            (matrixBoundLog, boundLog) = small.hadamardLogs()
        } else {
            let norm = IntegerAccumulator()
            for i in 0..<n {
                norm.setZero()
                for j in 0..<n { norm.addProduct(a[i][j], a[i][j]) }
                matrixBoundLog += norm.log2 / 2
                norm.addProduct(b[i], b[i])
                boundLog += norm.log2 / 2
            }
        }
        let boundBits = Int(boundLog * (1 + 1e-9)) + 2
        let matrixBoundBits = Int(matrixBoundLog * (1 + 1e-9)) + 2
        // p^k > 2·N·D with N, D < 2^boundBits.
        let bitsPerDigit = 30
        let digitCount = (2 * boundBits + 2) / bitsPerDigit + 1

        // Lifting: r₀ = b; xᵢ = A⁻¹·rᵢ mod p; rᵢ₊₁ = (rᵢ − A·xᵢ)/p.
        let digits: [UInt64]  // digit k of xⱼ at k·n + j
        if let small {
            digits = try small.lift(lu, digitCount: digitCount, deadline: deadline)
        } else if let planes = LimbPlaneLifting(a, b, p: p) {
            digits = try planes.lift(lu, digitCount: digitCount, deadline: deadline)
        } else {
            digits = try liftWithBigIntegers(a, b, lu, digitCount: digitCount, deadline: deadline)
        }

        // The p-adic values X_j = Σ digit_j,k p^k, and their modulus M = p^digitCount.
        let modulus = BigInt(Int(p)).power(UInt(digitCount))
        var padic: [BigInt] = []
        padic.reserveCapacity(n)
        let accumulator = IntegerAccumulator()
        // Horner's rule in base p² (< 2^62, one machine word): half the passes over the growing
        // value that base p takes, which were an eighth of a solve with 30-digit entries.
        for j in 0..<n {
            accumulator.setZero()
            var k = digitCount - 1
            if digitCount % 2 == 1 {
                accumulator.add(UInt(digits[k * n + j]))
                k -= 1
            }
            while k > 0 {
                accumulator.multiply(by: UInt(p * p))
                accumulator.add(UInt(digits[k * n + j] * p + digits[(k - 1) * n + j]))
                k -= 2
            }
            padic.append(accumulator.snapshot)
        }
        try deadline?.check()

        // One common denominator: reconstruct where the current one does not already work. The
        // arithmetic runs in a few mutable GMP integers; a fresh BigInt per Euclidean step was a
        // third of a 10×10 solve.
        let rational = RationalReconstruction(modulus: modulus, limit: BigInt(2).power(UInt(boundBits)))
        var denominator = BigInt.one
        var numerators: [BigInt] = []
        numerators.reserveCapacity(n)
        for j in 0..<n {
            if let candidate = rational.numerator(of: padic[j], over: denominator) {
                numerators.append(candidate)
                continue
            }
            guard let (numerator, extra) = rational.reconstruct() else { return nil }
            // Earlier numerators scale with the new denominator factor.
            numerators = numerators.map { $0 * extra }
            denominator = denominator * extra
            numerators.append(numerator)
        }

        // Exact check: A·numerators = denominator·b.
        if let small {
            guard small.isSolution(numerators: numerators, denominator: denominator) else { return nil }
        } else {
            let sum = IntegerAccumulator()
            for i in 0..<n {
                sum.setZero()
                for j in 0..<n { sum.addProduct(a[i][j], numerators[j]) }
                sum.subtractProduct(denominator, b[i])
                guard sum.isZero else { return nil }
            }
        }
        try deadline?.check()

        guard wantsDeterminant else { return Solution(numerators: numerators, denominator: denominator, determinant: nil) }
        let determinant = try determinantFrom(
            a, denominator: denominator, firstResidue: (p, lu.determinant), boundBits: matrixBoundBits,
            nextPrime: primeIndex, deadline: deadline
        )
        return Solution(numerators: numerators, denominator: denominator, determinant: determinant)
    }

    /// The general lifting loop, for entries too large for machine words.
    private static func liftWithBigIntegers(_ a: [[BigInt]], _ b: [BigInt], _ lu: ModularLU, digitCount: Int, deadline: Deadline?) throws(DeadlineExceeded) -> [UInt64] {
        let n = a.count
        let p = lu.p
        let residual = b.map { IntegerAccumulator($0) }
        var digits: [UInt64] = []
        digits.reserveCapacity(digitCount * n)
        for step in 0..<digitCount {
            if step & 7 == 0 { try deadline?.check() }
            let rhs = residual.map { UInt64($0.residue(UInt(p))) }
            let x = lu.solve(rhs)
            for i in 0..<n {
                let r = residual[i]
                let row = a[i]
                for j in 0..<n where x[j] != 0 { r.subtractProduct(row[j], UInt(x[j])) }
                r.divideExactly(by: UInt(p))
            }
            digits.append(contentsOf: x)
        }
        return digits
    }

    /// det(A) = d·q where d, the solution's common denominator, divides det(A); q is found by
    /// Chinese remaindering until the product of primes exceeds 2·H/d (H the Hadamard bound).
    private static func determinantFrom(
        _ a: [[BigInt]], denominator d: BigInt, firstResidue: (UInt64, UInt64), boundBits: Int, nextPrime: Int,
        deadline: Deadline?
    ) throws(DeadlineExceeded) -> BigInt {
        let neededBits = max(boundBits - d.bitWidth + 2, 2)
        var modulus = BigInt.one
        var value = BigInt.zero  // q mod modulus
        var primeIndex = nextPrime
        var pending: (UInt64, UInt64)? = firstResidue
        while modulus.bitWidth <= neededBits && primeIndex < ModularArithmetic.primes.count {
            let (p, detModP): (UInt64, UInt64)
            if let first = pending {
                (p, detModP) = first
                pending = nil
            } else {
                try deadline?.check()
                p = ModularArithmetic.primes[primeIndex]
                primeIndex += 1
                guard let lu = ModularLU(a, prime: p) else {
                    // det ≡ 0 mod p.
                    (value, modulus) = combine(value, modulus, 0, p)
                    continue
                }
                detModP = lu.determinant
            }
            let dModP = UInt64(d.remainder(modulo: UInt(p)))
            guard dModP != 0 else { continue }
            let q = detModP * ModularArithmetic.inverse(dModP, p) % p
            (value, modulus) = combine(value, modulus, q, p)
        }
        return d * symmetric(value, modulus)
    }

    /// CRT: the x mod m·p with x ≡ value (mod m) and x ≡ residue (mod p).
    private static func combine(_ value: BigInt, _ modulus: BigInt, _ residue: UInt64, _ p: UInt64) -> (BigInt, BigInt) {
        let current = UInt64(value.remainder(modulo: UInt(p)))
        let mInverse = ModularArithmetic.inverse(UInt64(modulus.remainder(modulo: UInt(p))), p)
        let t = (residue + p - current) % p * mInverse % p
        let combined = value + modulus * BigInt(Int(t))
        return (combined, modulus * BigInt(Int(p)))
    }

    /// The representative of value mod m in (−m/2, m/2].
    private static func symmetric(_ value: BigInt, _ modulus: BigInt) -> BigInt {
        value * BigInt(2) > modulus ? value - modulus : value
    }

}
