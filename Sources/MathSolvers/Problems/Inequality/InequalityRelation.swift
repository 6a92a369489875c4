import Foundation

/// The relation of an inequality as typed (`<`, `<=`, `≤`, `>`, `>=`, `≥`), and the two sides.
struct InequalityRelation: Equatable {
    enum Kind: String, Encodable {
        case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="

        var isStrict: Bool { self == .less || self == .greater }
        /// Whether a value of this sign satisfies `f(x) ⋚ 0`.
        func holds(sign: Int) -> Bool {
            switch self {
            case .less: return sign < 0
            case .lessOrEqual: return sign <= 0
            case .greater: return sign > 0
            case .greaterOrEqual: return sign >= 0
            }
        }

        var latex: String {
            switch self {
            case .less: return "<"
            case .lessOrEqual: return "\\le"
            case .greater: return ">"
            case .greaterOrEqual: return "\\ge"
            }
        }

        var symbol: String {
            switch self {
            case .less: return "<"
            case .lessOrEqual: return "≤"
            case .greater: return ">"
            case .greaterOrEqual: return "≥"
            }
        }
    }

    let kind: Kind
    let left: String
    let right: String

    /// Nil unless the text has exactly one relation sign (and no `=` of an equation).
    init?(_ text: String) {
        let normalized = text.replacingOccurrences(of: "≤", with: "<=").replacingOccurrences(of: "≥", with: ">=")
        let characters = Array(normalized)
        var found: (kind: Kind, start: Int, length: Int)?
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "<" || character == ">" {
                guard found == nil else { return nil }
                let orEqual = index + 1 < characters.count && characters[index + 1] == "="
                let kind: Kind = character == "<" ? (orEqual ? .lessOrEqual : .less) : (orEqual ? .greaterOrEqual : .greater)
                found = (kind, index, orEqual ? 2 : 1)
                index += orEqual ? 2 : 1
                continue
            }
            if character == "=" { return nil }
            index += 1
        }
        guard let found else { return nil }
        kind = found.kind
        left = String(characters[..<found.start])
        right = String(characters[(found.start + found.length)...])
    }
}
