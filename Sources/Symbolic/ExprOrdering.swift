/// The total order that makes canonical sums and products unique: operands are sorted by it.
extension Expr {
    private var kindRank: Int {
        switch self {
        case .number: return 0
        case .constant: return 1
        case .symbol: return 2
        case .function: return 3
        case .power: return 4
        case .product: return 5
        case .sum: return 6
        }
    }

    /// Negative, zero or positive, like `strcmp`.
    static func compare(_ lhs: Expr, _ rhs: Expr) -> Int {
        let rankDifference = lhs.kindRank - rhs.kindRank
        if rankDifference != 0 { return rankDifference }
        switch (lhs, rhs) {
        case (.number(let a), .number(let b)):
            return a == b ? 0 : (a < b ? -1 : 1)
        case (.constant(let a), .constant(let b)):
            return a.rawValue == b.rawValue ? 0 : (a.rawValue < b.rawValue ? -1 : 1)
        case (.symbol(let a), .symbol(let b)):
            return a == b ? 0 : (a < b ? -1 : 1)
        case (.function(let f, let a), .function(let g, let b)):
            if f != g { return f.rawValue < g.rawValue ? -1 : 1 }
            return compare(a, b)
        case (.power(let b1, let e1), .power(let b2, let e2)):
            let bases = compare(b1, b2)
            return bases != 0 ? bases : compare(e1, e2)
        case (.product(let a), .product(let b)), (.sum(let a), .sum(let b)):
            for (x, y) in zip(a, b) {
                let c = compare(x, y)
                if c != 0 { return c }
            }
            return a.count - b.count
        default:
            return 0
        }
    }

    static func precedes(_ lhs: Expr, _ rhs: Expr) -> Bool {
        compare(lhs, rhs) < 0
    }
}
