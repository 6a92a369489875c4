/// An LU factorisation of a square integer matrix modulo a word prime: P·A = L·U with unit lower
/// L. Solving with it costs O(n²), which is what makes p-adic lifting cheap per step.
///
/// Residues are below 2^31, so products fit in 62 bits; reductions use a floating-point
/// estimate of the quotient (a multiply instead of a 64-bit division), and the triangular
/// solves accumulate whole rows in 128 bits before one reduction.
struct ModularLU {
    let n: Int
    let p: UInt64
    /// L below the diagonal (unit diagonal implied), U on and above it; row-major.
    private var lu: [UInt64]
    /// Row i of P·A is row `permutation[i]` of A.
    private var permutation: [Int]
    /// det(A) mod p.
    private(set) var determinant: UInt64
    /// The inverses of U's diagonal, so a solve does no modular exponentiation.
    private var inverseDiagonal: [UInt64]

    /// nil when A is singular modulo p. Rows may be longer than n = matrix.count (an augmented
    /// matrix); only their first n entries are read.
    init?(_ matrix: [[BigInt]], prime p: UInt64) {
        let n = matrix.count
        self.n = n
        self.p = p
        let reducer = ModularReducer(p)
        var lu = [UInt64](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n { lu[i * n + j] = reducer.residue(matrix[i][j]) }
        }
        var permutation = Array(0..<n)
        var inverseDiagonal = [UInt64](repeating: 0, count: n)
        var determinant: UInt64 = 1
        let singular: Bool = lu.withUnsafeMutableBufferPointer { a -> Bool in
            for k in 0..<n {
                var pivotRow = k
                while pivotRow < n && a[pivotRow * n + k] == 0 { pivotRow += 1 }
                if pivotRow == n { return true }
                if pivotRow != k {
                    for j in 0..<n { a.swapAt(k * n + j, pivotRow * n + j) }
                    permutation.swapAt(k, pivotRow)
                    determinant = p - determinant
                }
                let pivot = a[k * n + k]
                determinant = reducer.reduce(determinant * pivot)
                let inversePivot = ModularArithmetic.inverse(pivot, p)
                inverseDiagonal[k] = inversePivot
                let rowK = k * n
                for i in (k + 1)..<max(k + 1, n) {
                    let rowI = i * n
                    let factor = reducer.reduce(a[rowI + k] * inversePivot)
                    a[rowI + k] = factor
                    if factor == 0 { continue }
                    let negated = p - factor
                    for j in (k + 1)..<n {
                        a[rowI + j] = reducer.reduce(a[rowI + j] &+ negated &* a[rowK + j])
                    }
                }
            }
            return false
        }
        if singular { return nil }
        self.lu = lu
        self.permutation = permutation
        self.determinant = determinant
        self.inverseDiagonal = inverseDiagonal
    }

    /// x with A·x ≡ rhs (mod p).
    func solve(_ rhs: [UInt64]) -> [UInt64] {
        var x = [UInt64](repeating: 0, count: n)
        x.withUnsafeMutableBufferPointer { solve(rhs, into: $0) }
        return x
    }

    /// x with A·x ≡ rhs (mod p), written into `y` (n entries): the lifting loops keep every
    /// digit in one array instead of allocating one per digit.
    func solve(_ rhs: [UInt64], into y: UnsafeMutableBufferPointer<UInt64>) {
        let inverses = inverseDiagonal
        let reducer = ModularReducer(p)
        lu.withUnsafeBufferPointer { a in
            // L·y = P·rhs: y_i = rhs_i − Σ_{j<i} L_ij·y_j
            for i in 0..<n {
                var sum: UInt128 = 0
                let row = i * n
                for j in 0..<i { sum &+= UInt128(a[row + j] &* y[j]) }
                let reduced = Self.remainder(sum, p)
                let value = rhs[permutation[i]]
                y[i] = value >= reduced ? value - reduced : value + p - reduced
            }
            // U·x = y: x_i = (y_i − Σ_{j>i} U_ij·x_j) / U_ii
            for i in stride(from: n - 1, through: 0, by: -1) {
                var sum: UInt128 = 0
                let row = i * n
                for j in (i + 1)..<max(i + 1, n) { sum &+= UInt128(a[row + j] &* y[j]) }
                let reduced = Self.remainder(sum, p)
                let value = y[i] >= reduced ? y[i] - reduced : y[i] + p - reduced
                y[i] = reducer.reduce(value * inverses[i])
            }
        }
    }

    /// sum mod p for a row sum of fewer than 2^33 products below 2^62: its high word is below
    /// p, so a 128-by-64-bit division does (measured faster than `%` on `UInt128`, and than
    /// splitting the sum for the floating-point reducer).
    @inline(__always)
    private static func remainder(_ sum: UInt128, _ p: UInt64) -> UInt64 {
        p.dividingFullWidth((high: UInt64(truncatingIfNeeded: sum >> 64), low: UInt64(truncatingIfNeeded: sum))).remainder
    }
}

/// x mod p for x < 2^63 and p < 2^31 without a division: the quotient is estimated in double
/// precision (off by at most one) and the remainder corrected.
struct ModularReducer {
    let p: UInt64
    let inverse: Double

    init(_ p: UInt64) {
        self.p = p
        self.inverse = 1 / Double(p)
    }

    /// value mod p, in 0..<p: a word-sized value without a division (the 100 entries of a 10×10
    /// system took 64-bit divisions costing more than its whole elimination).
    func residue(_ value: BigInt) -> UInt64 {
        guard case .small(let word) = value.storage, word.magnitude < (1 << 63) else {
            return UInt64(value.remainder(modulo: UInt(p)))
        }
        let r = reduce(UInt64(word.magnitude))
        return word < 0 && r != 0 ? p - r : r
    }

    @inline(__always)
    func reduce(_ x: UInt64) -> UInt64 {
        let estimate = UInt64(Double(x) * inverse)
        var r = Int64(bitPattern: x &- estimate &* p)
        if r < 0 { r += Int64(p) }
        if r >= Int64(p) { r -= Int64(p) }
        return UInt64(r)
    }
}
