import Foundation

/// The lifting loop in machine integers, when |A| < 2^31 and n·|A|·p and |b| stay below 2^61:
/// then every residual and every A·x fits in an Int64 and the loop allocates nothing.
struct SmallIntegerLifting {
    let n: Int
    let p: UInt64
    let matrix: [Int64]
    let rhs: [Int64]

    init?(_ a: [[BigInt]], _ b: [BigInt], p: UInt64) {
        let n = a.count
        var largest = 0
        var flat: [Int64] = []
        flat.reserveCapacity(n * n)
        for row in a {
            for value in row[0..<n] {
                guard value.bitWidth <= 31, let v = value.intValue else { return nil }
                largest = max(largest, abs(v))
                flat.append(Int64(v))
            }
        }
        guard b.allSatisfy({ $0.bitWidth <= 60 }) else { return nil }
        let (sum, overflow) = Int64(n).multipliedReportingOverflow(by: Int64(max(largest, 1)))
        guard !overflow, sum.multipliedReportingOverflow(by: Int64(p)).overflow == false,
              sum * Int64(p) < (1 << 61) else { return nil }
        self.n = n
        self.p = p
        self.matrix = flat
        self.rhs = b.map { Int64($0.intValue ?? 0) }
    }

    /// log₂ of Hadamard's bounds, Σᵢ log₂‖rowᵢ‖ and Σᵢ log₂‖(rowᵢ, bᵢ)‖, from the machine-word
    /// copy: squares below 2^62 summed in `Double` are within 2⁻⁵⁰ of the exact sum, far inside
    /// the caller's slack, and no GMP call is made.
    func hadamardLogs() -> (matrix: Double, augmented: Double) {
        var matrixLog = 0.0, augmentedLog = 0.0
        for i in 0..<n {
            var sum = 0.0
            for j in 0..<n {
                let v = Double(matrix[i * n + j])
                sum += v * v
            }
            matrixLog += sum > 0 ? Foundation.log2(sum) / 2 : -.infinity
            let r = Double(rhs[i])
            sum += r * r
            augmentedLog += sum > 0 ? Foundation.log2(sum) / 2 : -.infinity
        }
        return (matrixLog, augmentedLog)
    }

    /// The p-adic digits of A⁻¹·b, digit k of xⱼ at k·n + j.
    func lift(_ lu: ModularLU, digitCount: Int, deadline: Deadline?) throws(DeadlineExceeded) -> [UInt64] {
        var residual = rhs
        var digits = [UInt64](repeating: 0, count: digitCount * n)
        let reducer = ModularReducer(p)
        // residual − A·x is divisible by p: dividing is multiplying by p⁻¹ mod 2^64.
        let exactQuotient = Int64(bitPattern: ModularArithmetic.inverseModuloWord(p))
        var modular = [UInt64](repeating: 0, count: n)
        var step = 0
        while step < digitCount {
            try deadline?.check()
            let end = min(step + 16, digitCount)
            matrix.withUnsafeBufferPointer { a in
                digits.withUnsafeMutableBufferPointer { all in
                    for k in step..<end {
                        for i in 0..<n {
                            let r = reducer.reduce(residual[i].magnitude)
                            modular[i] = residual[i] < 0 && r != 0 ? p - r : r
                        }
                        let digit = UnsafeMutableBufferPointer(rebasing: all[(k * n)..<((k + 1) * n)])
                        lu.solve(modular, into: digit)
                        for i in 0..<n {
                            var dot: Int64 = 0
                            let row = i * n
                            for j in 0..<n { dot &+= a[row + j] &* Int64(digit[j]) }
                            residual[i] = (residual[i] - dot) &* exactQuotient
                        }
                    }
                }
            }
            step = end
        }
        return digits
    }

    /// A·N = D·b exactly, in machine words: each row's Σⱼ aᵢⱼ·Nⱼ − D·bᵢ one 64-bit limb of the
    /// N's and D at a time (|aᵢⱼ·limb| < 2^95, |bᵢ·limb| < 2^124, so a plane's sum fits an
    /// Int128 for any n below 2^31), then all planes summed exactly. The same check as the
    /// GMP one, without a GMP call per entry (that check was a twentieth of a 10×10 solve).
    func isSolution(numerators: [BigInt], denominator: BigInt) -> Bool {
        func column(_ j: Int) -> BigInt { j < n ? numerators[j] : denominator }
        let width = n + 1
        var limbCount = 1
        for j in 0..<width { limbCount = max(limbCount, column(j).limbCount) }
        // Limb t of N_j at t·(n + 1) + j, and of −D at t·(n + 1) + n (b takes A's place there).
        var limbs = [UInt64](repeating: 0, count: limbCount * width)
        var negative = [Bool](repeating: false, count: width)
        for j in 0..<width {
            negative[j] = column(j).writeLimbs(into: &limbs, offset: j, stride: width) != (j == n)
        }
        var sum = SignedLimbSum(limbCount: limbCount + 2)
        return limbs.withUnsafeBufferPointer { limbs in
            matrix.withUnsafeBufferPointer { matrix in
                for i in 0..<n {
                    sum.reset()
                    for t in 0..<limbCount {
                        var plane: Int128 = 0
                        for j in 0..<width {
                            let factor = j < n ? matrix[i * n + j] : rhs[i]
                            let (high, low) = limbs[t * width + j].multipliedFullWidth(by: factor.magnitude)
                            let product = Int128(bitPattern: UInt128(high) << 64 | UInt128(low))
                            plane &+= (factor < 0) != negative[j] ? -product : product
                        }
                        sum.add(plane, atLimb: t)
                    }
                    guard sum.isZero else { return false }
                }
                return true
            }
        }
    }
}
