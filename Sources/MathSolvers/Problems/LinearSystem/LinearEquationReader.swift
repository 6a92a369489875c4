import ExactMath
import Symbolic

/// Reads `{"equations": ["2x + 3y - z = 5", ...]}` into a `LinearSystem`: both sides parsed as
/// section-4 expressions, moved to one side, and read off as exact coefficients. Terms may come
/// in any order on either side; coefficients may be fractions or decimals; anything non-linear
/// (`x*y`, `x^2`, `sin(x)`) is refused naming the equation and the term.
enum LinearEquationReader {
    static var maxEquations: Int { LinearSystemSolver.maxEquations }

    static func read(_ equations: [String], variables declared: [String]?) throws(SolveError) -> (LinearSystem, [String]) {
        guard !equations.isEmpty else {
            throw .invalid("equations", vi: "Cần ít nhất một phương trình.", en: "At least one equation is needed.")
        }
        guard equations.count <= maxEquations else {
            throw .invalid("equations", vi: "Tối đa \(maxEquations) phương trình.", en: "At most \(maxEquations) equations.")
        }
        var rows: [[String: Rational]] = []
        var constants: [Rational] = []
        var seen: Set<String> = []
        for (index, text) in equations.enumerated() {
            let field = "equations[\(index)]"
            let sides = text.split(separator: "=", omittingEmptySubsequences: false)
            guard sides.count == 2 else {
                throw .invalid(field, vi: "Phương trình \(index + 1) cần đúng một dấu '='.", en: "Equation \(index + 1) needs exactly one '='.")
            }
            let left = try parse(String(sides[0]), field: field, offset: 0)
            let right = try parse(String(sides[1]), field: field, offset: sides[0].count + 1)
            var row: [String: Rational] = [:]
            var constant = Rational.zero
            for term in (left - right).terms {
                let (coefficient, rest) = term.coefficientAndRest
                switch rest {
                case .number: constant = constant - coefficient
                case .symbol(let name):
                    row[name, default: .zero] = row[name, default: .zero] + coefficient
                    seen.insert(name)
                default:
                    throw .invalid(field, vi: "Phương trình \(index + 1) không tuyến tính: số hạng '\(term.ascii)'.", en: "Equation \(index + 1) is not linear: the term '\(term.ascii)'.")
                }
            }
            rows.append(row)
            constants.append(constant)
        }
        let variables: [String]
        if let declared {
            guard Set(declared).count == declared.count else {
                throw .invalid("variables", vi: "Tên biến bị lặp.", en: "A variable is listed twice.")
            }
            if let missing = seen.first(where: { !declared.contains($0) }) {
                throw .invalid("variables", vi: "Biến '\(missing)' không có trong variables.", en: "The variable '\(missing)' is not listed in variables.")
            }
            variables = declared
        } else {
            variables = seen.sorted(by: variableOrder)
        }
        guard !variables.isEmpty else {
            throw .invalid("equations", vi: "Các phương trình không có ẩn nào.", en: "The equations have no unknowns.")
        }
        guard variables.count <= LinearSystemSolver.maxUnknowns else {
            throw .invalid("equations", vi: "Tối đa \(LinearSystemSolver.maxUnknowns) ẩn.", en: "At most \(LinearSystemSolver.maxUnknowns) unknowns.")
        }
        let matrix = rows.map { row in variables.map { row[$0] ?? .zero } }
        return (LinearSystem(matrix: matrix, rhs: constants), variables)
    }

    private static func parse(_ text: String, field: String, offset: Int) throws(SolveError) -> Expr {
        do {
            return try ExpressionParser.parse(text)
        } catch {
            throw .invalid(field, vi: "Vị trí \(error.position + offset): \(error.vi)", en: "Position \(error.position + offset): \(error.en)")
        }
    }

    /// x < y < z; x2 < x10 (indices compared as numbers).
    static func variableOrder(_ lhs: String, _ rhs: String) -> Bool {
        let (lh, li) = split(lhs)
        let (rh, ri) = split(rhs)
        if lh != rh { return lh < rh }
        return li < ri
    }

    private static func split(_ name: String) -> (String, Int) {
        let head = String(name.prefix(1))
        let index = Int(name.dropFirst().filter(\.isNumber)) ?? -1
        return (head, index)
    }
}
