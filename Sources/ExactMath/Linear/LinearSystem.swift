/// An m×n system A·x = b over the rationals and what solving it found.
public struct LinearSystem: Sendable {
    public var matrix: [[Rational]]
    public var rhs: [Rational]

    public init(matrix: [[Rational]], rhs: [Rational]) {
        self.matrix = matrix
        self.rhs = rhs
    }

    public var equationCount: Int { matrix.count }
    public var unknownCount: Int { matrix.first?.count ?? 0 }

    public enum Kind: String, Sendable {
        case unique, infinite, none
    }

    /// One row operation of the elimination and the augmented matrix after it.
    public struct EliminationStep: Sendable, Equatable {
        public enum Operation: Sendable, Equatable {
            /// Rows i and j (0-based) exchanged.
            case swap(Int, Int)
            /// row ← (pivot·row − factor·pivotRow) / divisor.
            case combine(row: Int, pivot: BigInt, factor: BigInt, pivotRow: Int, divisor: BigInt)
        }
        public var operation: Operation
        public var augmented: [[BigInt]]
    }

    public struct Solution: Sendable {
        public var kind: Kind
        public var rank: Int
        /// The solution (unique) or a particular solution (infinite).
        public var values: [Rational]?
        /// A basis of the null space of A (infinite).
        public var nullSpace: [[Rational]]
        /// Unknowns that are free parameters (infinite), 0-based.
        public var freeColumns: [Int]
        /// det(A) for square systems.
        public var determinant: Rational?
        /// For an inconsistent system: the row (0-based, after elimination) that reads 0 = c ≠ 0.
        public var inconsistentRow: Int?
        /// The integer system after clearing denominators row by row.
        public var integerAugmented: [[BigInt]]
        /// Row operations, when they were asked for.
        public var steps: [EliminationStep]
        /// Which method produced the answer: "fraction_free" or "dixon".
        public var method: String
    }

    /// Square systems from this size up go through Dixon's p-adic lifting when not showing steps.
    public static let modularThreshold = 8

    /// Solves exactly; `recordSteps` keeps every row operation (meant for small systems).
    /// `determinant: false` skips the extra modular work the determinant of a large square
    /// system costs (elimination finds it for free and still reports it).
    public func solve(recordSteps: Bool, determinant wantsDeterminant: Bool = true, deadline: Deadline? = nil) throws(DeadlineExceeded) -> Solution {
        let scales = rowScales()
        let integer = integerRows(scales)
        let n = unknownCount
        if !recordSteps, equationCount == n, n >= Self.modularThreshold {
            // The augmented rows serve as A (the solver reads their first n entries): no copy.
            let b = integer.map { $0[n] }
            if let found = try DixonSolver.solve(integer, b, determinant: wantsDeterminant, deadline: deadline) {
                let values = found.values
                // Clearing denominators scaled row i by s_i, so det(A) = det(integer A) / Π s_i.
                let scale = scales.reduce(BigInt.one, *)
                return Solution(
                    kind: .unique, rank: n, values: values, nullSpace: [], freeColumns: [],
                    determinant: found.determinant.map { Rational($0, scale) }, inconsistentRow: nil, integerAugmented: integer,
                    steps: [], method: "dixon"
                )
            }
        }
        return try FractionFreeElimination.solve(self, integer: integer, scale: scales.reduce(BigInt.one, *), recordSteps: recordSteps, deadline: deadline)
    }

    /// [A | b] with denominators cleared row by row, as elimination (and its steps) sees it.
    public var integerAugmented: [[BigInt]] { integerRows(rowScales()) }

    /// The least common multiple of each row's denominators (rhs included).
    func rowScales() -> [BigInt] {
        (0..<equationCount).map { i in
            var lcm = BigInt.one
            for value in matrix[i] where !value.isInteger && !lcm.isDivisible(by: value.denominator) {
                lcm = BigInt.lcm(lcm, value.denominator)
            }
            if !rhs[i].isInteger && !lcm.isDivisible(by: rhs[i].denominator) { lcm = BigInt.lcm(lcm, rhs[i].denominator) }
            return lcm
        }
    }

    /// [A | b] with every row multiplied by its denominators' lcm.
    func integerRows(_ scales: [BigInt]) -> [[BigInt]] {
        (0..<equationCount).map { i in
            let scale = scales[i]
            if scale == .one {
                var row = [BigInt]()
                row.reserveCapacity(matrix[i].count + 1)
                for value in matrix[i] { row.append(value.numerator) }
                row.append(rhs[i].numerator)
                return row
            }
            return (matrix[i] + [rhs[i]]).map { value in
                value.numerator * scale.dividedExactly(by: value.denominator)
            }
        }
    }

    /// A·x for a rational vector (used to verify answers).
    public func apply(_ x: [Rational]) -> [Rational] {
        matrix.map { row in zip(row, x).reduce(Rational.zero) { $0 + $1.0 * $1.1 } }
    }
}
