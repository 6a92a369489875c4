/// An LU factorisation of a square integer matrix modulo a word prime: P·A = L·U with unit lower
/// L. Solving with it costs O(n²), which is what makes p-adic lifting cheap per step.
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

    /// nil when A is singular modulo p.
    init?(_ matrix: [[BigInt]], prime p: UInt64) {
        let n = matrix.count
        self.n = n
        self.p = p
        var lu = [UInt64](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n { lu[i * n + j] = UInt64(matrix[i][j].remainder(modulo: UInt(p))) }
        }
        var permutation = Array(0..<n)
        var determinant: UInt64 = 1
        let singular: Bool = lu.withUnsafeMutableBufferPointer { a -> Bool in
            for k in 0..<n {
                var pivotRow = k
                while pivotRow < n && a[pivotRow * n + k] == 0 { pivotRow += 1 }
                if pivotRow == n { return true }
                if pivotRow != k {
                    for j in 0..<n { a.swapAt(k * n + j, pivotRow * n + j) }
                    permutation.swapAt(k, pivotRow)
                    determinant = determinant == 0 ? 0 : p - determinant
                }
                let pivot = a[k * n + k]
                determinant = determinant * pivot % p
                let inversePivot = ModularArithmetic.inverse(pivot, p)
                for i in (k + 1)..<max(k + 1, n) {
                    let rowI = i * n
                    let factor = a[rowI + k] * inversePivot % p
                    a[rowI + k] = factor
                    if factor == 0 { continue }
                    let negated = p - factor
                    let rowK = k * n
                    for j in (k + 1)..<n {
                        a[rowI + j] = (a[rowI + j] + negated * a[rowK + j]) % p
                    }
                }
            }
            return false
        }
        if singular { return nil }
        self.lu = lu
        self.permutation = permutation
        self.determinant = determinant
        self.inverseDiagonal = (0..<n).map { ModularArithmetic.inverse(lu[$0 * n + $0], p) }
    }

    /// x with A·x ≡ rhs (mod p).
    func solve(_ rhs: [UInt64]) -> [UInt64] {
        var x = [UInt64](repeating: 0, count: n)
        let inverses = inverseDiagonal
        lu.withUnsafeBufferPointer { a in
            x.withUnsafeMutableBufferPointer { y in
                // L·y = P·rhs
                for i in 0..<n {
                    var sum = rhs[permutation[i]]
                    let row = i * n
                    for j in 0..<i where a[row + j] != 0 {
                        sum = (sum + (p - a[row + j]) * y[j]) % p
                    }
                    y[i] = sum
                }
                // U·x = y
                for i in stride(from: n - 1, through: 0, by: -1) {
                    var sum = y[i]
                    let row = i * n
                    for j in (i + 1)..<max(i + 1, n) where a[row + j] != 0 {
                        sum = (sum + (p - a[row + j]) * y[j]) % p
                    }
                    y[i] = sum * inverses[i] % p
                }
            }
        }
        return x
    }
}
