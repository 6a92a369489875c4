import ExactMath
import Foundation
import Bilingual
import Symbolic

/// `system_equations`: A·x = b of any shape over the rationals, exactly: the unique solution,
/// or the rank, a particular solution and a null-space basis written as a parametric general
/// solution, or the row that makes the system inconsistent; the determinant for square systems.
/// Systems up to 4×4 show every row operation; larger ones a summary.
public struct LinearSystemSolver: Solver {
    public static let code = "system_equations"
    public static let maxUnknowns = 200
    public static let maxEquations = 200
    /// Systems at most this size (unknowns and equations) get the elimination row by row.
    public static let detailedStepsLimit = 4
    /// Largest input document, bytes of JSON (a 200×200 matrix of 20-digit entries fits).
    public static let maxInputBytes = 1024 * 1024

    public init() {}

    struct Input: Decodable {
        let matrix: [[ExactNumberField]]?
        let rhs: [ExactNumberField]?
        let equations: [String]?
        let variables: [String]?
        let digits: Int?
    }

    public struct Value: Encodable, Sendable, Equatable {
        public var variable: String
        public var value: String
        public var latex: String
        public var decimal: String
    }

    public struct Result: Encodable, Sendable {
        public var kind: String
        public var rank: Int
        public var variables: [String]
        public var equations: [String]
        public var solution: [Value]?
        public var particular: [Value]?
        public var nullSpace: [[String]]?
        public var generalSolution: [String]?
        public var generalSolutionLatex: [String]?
        public var parameters: [String]?
        public var determinant: String?
        public var reason: LocalizedText?
        public var method: String
        public var steps: [SolutionStep]

        enum CodingKeys: String, CodingKey {
            case kind, rank, variables, equations, solution, particular, determinant, reason, method, steps, parameters
            case nullSpace = "null_space"
            case generalSolution = "general_solution"
            case generalSolutionLatex = "general_solution_latex"
        }
    }

    public struct Parsed: Sendable {
        public var system: LinearSystem
        public var variables: [String]
        public var digits: Int
    }

    public func solve(json: Data, deadline: Deadline) throws(SolveError) -> Result {
        try solve(try parse(json: json), deadline: deadline)
    }

    public func validate(json: Data) throws(SolveError) { _ = try parse(json: json) }

    public func parse(json: Data) throws(SolveError) -> Parsed {
        let input: Input
        do {
            input = try JSONDecoder().decode(Input.self, from: json)
        } catch {
            throw .invalid("input", vi: "Đầu vào phải là {matrix, rhs} hoặc {equations}; số là chuỗi hoặc số JSON.", en: "The input must be {matrix, rhs} or {equations}; numbers are strings or JSON numbers.")
        }
        let digits = try CalculusInput.digits(input.digits)
        if let equations = input.equations {
            guard input.matrix == nil, input.rhs == nil else {
                throw .invalid("equations", vi: "Chỉ gửi equations hoặc matrix + rhs.", en: "Send either equations or matrix + rhs, not both.")
            }
            let (system, variables) = try LinearEquationReader.read(equations, variables: input.variables)
            return Parsed(system: system, variables: variables, digits: digits)
        }
        guard let matrix = input.matrix, let rhs = input.rhs else {
            throw .invalid("matrix", vi: "Cần matrix và rhs, hoặc equations.", en: "Both matrix and rhs are needed, or equations.")
        }
        guard !matrix.isEmpty, matrix.count <= Self.maxEquations else {
            throw .invalid("matrix", vi: "Ma trận cần 1–\(Self.maxEquations) hàng.", en: "The matrix needs 1 to \(Self.maxEquations) rows.")
        }
        let width = matrix[0].count
        guard width >= 1, width <= Self.maxUnknowns else {
            throw .invalid("matrix", vi: "Ma trận cần 1–\(Self.maxUnknowns) cột.", en: "The matrix needs 1 to \(Self.maxUnknowns) columns.")
        }
        if let row = matrix.firstIndex(where: { $0.count != width }) {
            throw .invalid("matrix[\(row)]", vi: "Hàng \(row + 1) có \(matrix[row].count) phần tử, cần \(width).", en: "Row \(row + 1) has \(matrix[row].count) entries; \(width) expected.")
        }
        guard rhs.count == matrix.count else {
            throw .invalid("rhs", vi: "rhs cần \(matrix.count) phần tử.", en: "rhs needs \(matrix.count) entries.")
        }
        var rows: [[Rational]] = []
        for (i, row) in matrix.enumerated() {
            var values: [Rational] = []
            for (j, entry) in row.enumerated() { values.append(try entry.value(field: "matrix[\(i)][\(j)]")) }
            rows.append(values)
        }
        var constants: [Rational] = []
        for (i, entry) in rhs.enumerated() { constants.append(try entry.value(field: "rhs[\(i)]")) }
        let variables: [String]
        if let declared = input.variables {
            guard declared.count == width, Set(declared).count == width,
                  declared.allSatisfy({ (try? ExpressionParser.parse($0)) == .symbol($0) }) else {
                throw .invalid("variables", vi: "variables cần \(width) tên biến khác nhau (x, y, x1, …).", en: "variables needs \(width) distinct variable names (x, y, x1, …).")
            }
            variables = declared
        } else {
            variables = width <= 3 ? Array(["x", "y", "z"].prefix(width)) : (1...width).map { "x\($0)" }
        }
        return Parsed(system: LinearSystem(matrix: rows, rhs: constants), variables: variables, digits: digits)
    }

    public func solve(_ parsed: Parsed, deadline: Deadline) throws(SolveError) -> Result {
        let system = parsed.system
        let names = parsed.variables
        let detailed = system.unknownCount <= Self.detailedStepsLimit && system.equationCount <= Self.detailedStepsLimit
        let solution: LinearSystem.Solution
        do {
            solution = try system.solve(recordSteps: detailed, deadline: deadline)
        } catch {
            throw .timeout
        }
        let equations = (0..<system.equationCount).map { equationText(system.matrix[$0], system.rhs[$0], names, latex: false) }
        var steps = [SolutionStep(
            vi: "Hệ \(system.equationCount) phương trình, \(system.unknownCount) ẩn (\(names.joined(separator: ", "))). Viết ma trận mở rộng [A | b].",
            en: "A system of \(system.equationCount) equations in \(system.unknownCount) unknowns (\(names.joined(separator: ", "))). Write the augmented matrix [A | b].",
            latex: detailed ? matrixLatex(system.integerAugmented) : nil
        )]
        steps += eliminationSteps(solution, detailed: detailed, system: system)
        var result = Result(
            kind: solution.kind.rawValue, rank: solution.rank, variables: names, equations: equations, method: solution.method, steps: []
        )
        if let determinant = solution.determinant {
            result.determinant = determinant.description
            steps.append(SolutionStep(
                vi: "Định thức của A: det(A) = \(determinant)\(determinant.isZero ? " (ma trận suy biến)" : "").",
                en: "The determinant of A: det(A) = \(determinant)\(determinant.isZero ? " (a singular matrix)" : "").",
                latex: "\\det(A) = \(determinant.latex)"
            ))
        }
        switch solution.kind {
        case .none:
            let row = (solution.inconsistentRow ?? 0) + 1
            let value = solution.integerAugmented[(solution.inconsistentRow ?? 0)].last ?? .zero
            let reason = LocalizedText(
                vi: "Sau khử, hàng \(row) trở thành 0 = \(value) (vô lý): rank(A) = \(solution.rank) < rank([A | b]). Hệ vô nghiệm.",
                en: "After elimination, row \(row) reads 0 = \(value), which is impossible: rank(A) = \(solution.rank) < rank([A | b]). The system has no solution."
            )
            result.reason = reason
            steps.append(SolutionStep(vi: reason.vi, en: reason.en, latex: "0 = \(value)"))
        case .unique:
            let values = solution.values ?? []
            result.solution = zip(names, values).map { value($0, $1, digits: parsed.digits) }
            steps.append(SolutionStep(
                vi: "Hệ có nghiệm duy nhất: " + zip(names, values).map { "\($0) = \($1)" }.joined(separator: ", ") + ". Đã kiểm tra A·x = b chính xác.",
                en: "The system has exactly one solution: " + zip(names, values).map { "\($0) = \($1)" }.joined(separator: ", ") + ". A·x = b checked exactly.",
                latex: zip(names, values).prefix(12).map { "\(Expr.symbol($0).latex) = \($1.latex)" }.joined(separator: ",\\ ")
            ))
        case .infinite:
            let values = solution.values ?? []
            let parameters = (1...solution.freeColumns.count).map { "t\($0)" }
            result.particular = zip(names, values).map { value($0, $1, digits: parsed.digits) }
            result.nullSpace = solution.nullSpace.map { $0.map(\.description) }
            result.parameters = parameters
            var general: [Expr] = values.map { Expr.number($0) }
            for (vector, parameter) in zip(solution.nullSpace, parameters) {
                for index in general.indices where !vector[index].isZero {
                    general[index] = general[index] + Expr.number(vector[index]) * .symbol(parameter)
                }
            }
            result.generalSolution = zip(names, general).map { "\($0) = \($1.ascii)" }
            result.generalSolutionLatex = zip(names, general).map { "\(Expr.symbol($0).latex) = \($1.latex)" }
            let freeNames = solution.freeColumns.map { names[$0] }
            steps.append(SolutionStep(
                vi: "rank(A) = rank([A | b]) = \(solution.rank) < \(names.count) ẩn: hệ có vô số nghiệm. Ẩn tự do \(freeNames.joined(separator: ", ")) đặt bằng tham số \(parameters.joined(separator: ", ")).",
                en: "rank(A) = rank([A | b]) = \(solution.rank) < \(names.count) unknowns: infinitely many solutions. The free unknowns \(freeNames.joined(separator: ", ")) become the parameters \(parameters.joined(separator: ", ")).",
                latex: result.generalSolutionLatex?.prefix(12).joined(separator: ",\\ ")
            ))
        }
        // The answer is checked against the original system, whatever path produced it.
        if let values = solution.values, solution.kind != .none, system.apply(values) != system.rhs {
            throw SolveError(code: "internal_error", vi: "Lời giải không thỏa hệ; đã hủy.", en: "The computed solution failed its exact check and was withheld.")
        }
        result.steps = steps
        return result
    }

    private func value(_ name: String, _ value: Rational, digits: Int) -> Value {
        Value(variable: name, value: value.description, latex: value.latex, decimal: DecimalApproximation.of(value, digits: digits))
    }

    private func equationText(_ row: [Rational], _ constant: Rational, _ names: [String], latex: Bool) -> String {
        let left = Expr.add(zip(row, names).map { Expr.number($0) * .symbol($1) })
        return "\(latex ? left.latex : left.ascii) = \(constant)"
    }

    private func eliminationSteps(_ solution: LinearSystem.Solution, detailed: Bool, system: LinearSystem) -> [SolutionStep] {
        guard detailed else {
            let text: (vi: String, en: String)
            if solution.method == "dixon" {
                text = (
                    vi: "Giải bằng nâng p-adic Dixon: phân tích LU modulo một số nguyên tố p, nâng nghiệm theo lũy thừa của p, rồi khôi phục phân số (rational reconstruction); nghiệm được kiểm tra lại chính xác.",
                    en: "Solved by Dixon's p-adic lifting: an LU factorisation modulo a prime p, the solution lifted digit by digit in powers of p, then rational reconstruction; the answer is checked exactly."
                )
            } else {
                text = (
                    vi: "Khử Gauss–Jordan không phân số (quy tắc Bareiss) trên ma trận \(system.equationCount)×\(system.unknownCount + 1): mọi phần tử luôn là số nguyên; hạng tìm được: \(solution.rank).",
                    en: "Fraction-free Gauss–Jordan elimination (Bareiss' rule) on the \(system.equationCount)×\(system.unknownCount + 1) matrix: every entry stays an integer; the rank found: \(solution.rank)."
                )
            }
            return [SolutionStep(vi: text.vi, en: text.en)]
        }
        var steps: [SolutionStep] = []
        if system.matrix.contains(where: { $0.contains { !$0.isInteger } }) || system.rhs.contains(where: { !$0.isInteger }) {
            steps.append(SolutionStep(
                vi: "Nhân mỗi hàng với mẫu số chung để mọi hệ số là số nguyên.",
                en: "Multiply each row by its common denominator so every coefficient is an integer.",
                latex: matrixLatex(system.integerAugmented)
            ))
        }
        for step in solution.steps {
            switch step.operation {
            case .swap(let i, let j):
                steps.append(SolutionStep(
                    vi: "Đổi chỗ hàng R\(i + 1) và R\(j + 1) để có phần tử trụ khác 0.",
                    en: "Swap rows R\(i + 1) and R\(j + 1) to get a non-zero pivot.",
                    latex: "R_{\(i + 1)} \\leftrightarrow R_{\(j + 1)}:\\ " + matrixLatex(step.augmented)
                ))
            case .combine(let row, let pivot, let factor, let pivotRow, let divisor):
                let formula = divisor == .one
                    ? "R\(row + 1) ← \(pivot)·R\(row + 1) − (\(factor))·R\(pivotRow + 1)"
                    : "R\(row + 1) ← (\(pivot)·R\(row + 1) − (\(factor))·R\(pivotRow + 1)) / \(divisor)"
                let latexFormula = divisor == .one
                    ? "R_{\(row + 1)} \\leftarrow \(pivot) R_{\(row + 1)} - (\(factor)) R_{\(pivotRow + 1)}"
                    : "R_{\(row + 1)} \\leftarrow \\frac{\(pivot) R_{\(row + 1)} - (\(factor)) R_{\(pivotRow + 1)}}{\(divisor)}"
                steps.append(SolutionStep(
                    vi: "Khử ẩn ở hàng \(row + 1) bằng hàng trụ \(pivotRow + 1): \(formula)\(divisor == .one ? "" : " (phép chia cho trụ trước luôn chia hết)").",
                    en: "Eliminate in row \(row + 1) with pivot row \(pivotRow + 1): \(formula)\(divisor == .one ? "" : " (division by the previous pivot is always exact)").",
                    latex: latexFormula + ":\\ " + matrixLatex(step.augmented)
                ))
            }
        }
        return steps
    }

    private func matrixLatex(_ rows: [[BigInt]]) -> String {
        let columns = (rows.first?.count ?? 1) - 1
        let spec = String(repeating: "r", count: columns) + "|r"
        let body = rows.map { $0.map(\.description).joined(separator: " & ") }.joined(separator: " \\\\ ")
        return "\\left(\\begin{array}{\(spec)} \(body) \\end{array}\\right)"
    }
}
