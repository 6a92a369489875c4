/// Where the variable goes.
public enum LimitPoint: Sendable, Equatable {
    case finite(Expr)
    case plusInfinity
    case minusInfinity

    /// `oo`, `+oo`, `-oo`, or an expression without variables.
    public static func parse(_ text: String) throws(ExpressionSyntaxError) -> LimitPoint {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch trimmed {
        case "oo", "+oo", "infinity": return .plusInfinity
        case "-oo", "-infinity": return .minusInfinity
        default:
            let value = try ExpressionParser.parse(trimmed)
            if let name = value.symbols.first {
                throw ExpressionSyntaxError(position: 1, vi: "Điểm không được chứa biến '\(name)'.", en: "The point may not contain the variable '\(name)'.")
            }
            return .finite(value)
        }
    }

    public var ascii: String {
        switch self {
        case .finite(let value): return value.ascii
        case .plusInfinity: return "oo"
        case .minusInfinity: return "-oo"
        }
    }

    public var latex: String {
        switch self {
        case .finite(let value): return value.latex
        case .plusInfinity: return "+\\infty"
        case .minusInfinity: return "-\\infty"
        }
    }
}

/// The side from which a finite point is approached.
public enum LimitDirection: String, Sendable {
    case plus = "+"
    case minus = "-"
    case both
}

/// What a limit came to.
public enum LimitValue: Sendable, Equatable {
    case finite(Expr)
    case plusInfinity
    case minusInfinity
    /// The one-sided limits differ, or the function oscillates.
    case doesNotExist

    public var ascii: String {
        switch self {
        case .finite(let value): return value.ascii
        case .plusInfinity: return "oo"
        case .minusInfinity: return "-oo"
        case .doesNotExist: return "does_not_exist"
        }
    }

    public var latex: String {
        switch self {
        case .finite(let value): return value.latex
        case .plusInfinity: return "+\\infty"
        case .minusInfinity: return "-\\infty"
        case .doesNotExist: return "\\text{does not exist}"
        }
    }
}

import Foundation
