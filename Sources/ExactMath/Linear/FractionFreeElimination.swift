/// Fraction-free Gauss–Jordan elimination (Bareiss' rule applied above and below the pivot):
/// every entry stays an integer minor of the input, so the numbers grow only as fast as
/// determinants do, and the last pivot is ± the determinant of the leading minor. Handles every
/// shape, rank and consistency, and can record each row operation for the step-by-step answer.
enum FractionFreeElimination {
    static func solve(_ system: LinearSystem, integer: [[BigInt]], scale: BigInt, recordSteps: Bool, deadline: Deadline?) throws(DeadlineExceeded) -> LinearSystem.Solution {
        let m = system.equationCount
        let n = system.unknownCount
        var rows = integer
        var steps: [LinearSystem.EliminationStep] = []
        var previousPivot = BigInt.one
        var rank = 0
        var pivotColumns: [Int] = []
        var swaps = 0
        for column in 0..<n where rank < m {
            try deadline?.check()
            guard let pivotRow = (rank..<m).first(where: { !rows[$0][column].isZero }) else { continue }
            if pivotRow != rank {
                rows.swapAt(pivotRow, rank)
                swaps += 1
                if recordSteps { steps.append(.init(operation: .swap(rank, pivotRow), augmented: rows)) }
            }
            let pivot = rows[rank][column]
            for i in 0..<m where i != rank {
                if i & 15 == 15 { try deadline?.check() }
                let factor = rows[i][column]
                if factor.isZero && previousPivot == pivot { continue }
                for j in 0...n {
                    let updated = pivot * rows[i][j] - factor * rows[rank][j]
                    rows[i][j] = updated.dividedExactly(by: previousPivot)
                }
                if recordSteps && !factor.isZero {
                    steps.append(.init(
                        operation: .combine(row: i, pivot: pivot, factor: factor, pivotRow: rank, divisor: previousPivot),
                        augmented: rows
                    ))
                }
            }
            previousPivot = pivot
            pivotColumns.append(column)
            rank += 1
        }
        // Rows without a pivot read 0 = rhs; a non-zero rhs there means no solution.
        if let bad = (rank..<m).first(where: { !rows[$0][n].isZero }) {
            return LinearSystem.Solution(
                kind: .none, rank: rank, values: nil, nullSpace: [], freeColumns: [],
                determinant: m == n ? .zero : nil, inconsistentRow: bad, integerAugmented: rows, steps: steps,
                method: "fraction_free"
            )
        }
        // After Gauss–Jordan every pivot entry equals the last pivot d: x_pivot = (rhs − Σ a·t)/d.
        let d = previousPivot
        var particular = [Rational](repeating: .zero, count: n)
        for (i, column) in pivotColumns.enumerated() {
            particular[column] = Rational(rows[i][n], rows[i][column])
        }
        let freeColumns = (0..<n).filter { !pivotColumns.contains($0) }
        var nullSpace: [[Rational]] = []
        for free in freeColumns {
            var vector = [Rational](repeating: .zero, count: n)
            vector[free] = .one
            for (i, column) in pivotColumns.enumerated() {
                vector[column] = -Rational(rows[i][free], rows[i][column])
            }
            nullSpace.append(vector)
        }
        var determinant: Rational?
        if m == n {
            if rank == n {
                determinant = Rational(swaps % 2 == 0 ? d : -d, scale)
            } else {
                determinant = .zero
            }
        }
        return LinearSystem.Solution(
            kind: freeColumns.isEmpty ? .unique : .infinite, rank: rank, values: particular, nullSpace: nullSpace,
            freeColumns: freeColumns, determinant: determinant, inconsistentRow: nil, integerAugmented: rows, steps: steps,
            method: "fraction_free"
        )
    }
}
