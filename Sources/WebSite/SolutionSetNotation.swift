import Bilingual
import Foundation
import MathFarmCore
import Symbolic

/// A result's `solution_set` written as a Vietnamese (or English) textbook writes it:
/// `S = (−∞; 1] ∪ (2; +∞)`, `S = {−1; 2}`, `S = ∅`, `S = ℝ`, and for trigonometric families
/// `x = π/6 + k2π, k ∈ ℤ`. Vietnamese separates with semicolons and writes decimal commas;
/// English uses commas and decimal points. Only the solver's strings are shown, drawn.
struct SolutionSetNotation {
    let latex: String
    let text: String

    /// `latex` holds the solver's own LaTeX of a point where it gave one (kept as written,
    /// `\frac{1 + \sqrt{5}}{2}`); other points are parsed and printed.
    init(set: [String: JSONValue], variable: String, language: Language, latex known: [String: String] = [:]) {
        let separator = language == .vi ? ";" : ","
        let kind: String
        if case .string(let value)? = set["kind"] { kind = value } else { kind = "" }
        func strings(_ key: String) -> [String] {
            guard case .array(let items)? = set[key] else { return [] }
            return items.compactMap { if case .string(let text) = $0 { return text } else { return nil } }
        }
        func point(_ value: String) -> (latex: String, text: String) {
            (known[value] ?? Self.latex(of: value, language: language), Self.text(of: value, language: language))
        }
        switch kind {
        case "empty":
            (latex, text) = ("S = \\varnothing", "S = ∅")
        case "all_reals":
            (latex, text) = ("S = \\mathbb{R}", "S = ℝ")
        case "finite":
            let points = strings("points").map(point)
            latex = "S = \\left\\{" + points.map(\.latex).joined(separator: separator + "\\ ") + "\\right\\}"
            text = "S = {" + points.map(\.text).joined(separator: separator + " ") + "}"
        case "intervals":
            var latexParts: [String] = []
            var textParts: [String] = []
            if case .array(let intervals)? = set["intervals"] {
                for case .object(let interval) in intervals {
                    guard case .string(let lower)? = interval["lower"], case .string(let upper)? = interval["upper"] else { continue }
                    let lowerClosed = interval["lower_closed"] == .bool(true), upperClosed = interval["upper_closed"] == .bool(true)
                    let (l, u) = (point(lower), point(upper))
                    latexParts.append((lowerClosed ? "\\left[" : "\\left(") + l.latex + separator + "\\ " + u.latex + (upperClosed ? "\\right]" : "\\right)"))
                    textParts.append((lowerClosed ? "[" : "(") + l.text + separator + " " + u.text + (upperClosed ? "]" : ")"))
                }
            }
            // Isolated points of a non-strict inequality (x² ≥ 0 at 0 is the whole line; (x−1)²·x ≤ 0 has {1}).
            let isolated = strings("points").map(point)
            if !isolated.isEmpty {
                latexParts.append("\\left\\{" + isolated.map(\.latex).joined(separator: separator + "\\ ") + "\\right\\}")
                textParts.append("{" + isolated.map(\.text).joined(separator: separator + " ") + "}")
            }
            latex = "S = " + latexParts.joined(separator: " \\cup ")
            text = "S = " + textParts.joined(separator: " ∪ ")
        case "families":
            var latexParts: [String] = []
            var textParts: [String] = []
            if case .array(let families)? = set["families"] {
                for case .object(let family) in families {
                    guard case .string(let base)? = family["base"], case .string(let period)? = family["period"] else { continue }
                    let b = point(base), p = point(period)
                    let periodLatex = language == .vi ? "k" + p.latex : p.latex.replacingOccurrences(of: "\\pi", with: "k\\pi")
                    let periodText = language == .vi ? "k" + p.text : p.text.replacingOccurrences(of: "π", with: "kπ")
                    latexParts.append("\(variable) = " + (b.latex == "0" ? periodLatex : b.latex + " + " + periodLatex))
                    textParts.append("\(variable) = " + (b.text == "0" ? periodText : b.text + " + " + periodText))
                }
            }
            latex = latexParts.joined(separator: ";\\quad ") + ",\\ k \\in \\mathbb{Z}"
            text = textParts.joined(separator: "; ") + ", k ∈ ℤ"
        default:
            (latex, text) = ("", "")
        }
    }

    /// One value in the API's input syntax (`(1 + sqrt(5))/2`, `-oo`, a certified decimal) as LaTeX.
    static func latex(of value: String, language: Language = .en) -> String {
        switch value {
        case "oo", "+oo": return "+\\infty"
        case "-oo": return "-\\infty"
        default: break
        }
        if isDecimal(value) { return language == .vi ? value.replacingOccurrences(of: ".", with: "{,}") : value }
        guard let expr = try? ExpressionParser.parse(value) else { return value }
        return expr.latex
    }

    /// The same value as plain text for the copy action and screen readers.
    static func text(of value: String, language: Language) -> String {
        switch value {
        case "oo", "+oo": return "+∞"
        case "-oo": return "−∞"
        default: break
        }
        if isDecimal(value) { return Formatting.decimal(value, language) }
        return value.replacingOccurrences(of: "pi", with: "π").replacingOccurrences(of: "-", with: "−")
    }

    /// An integer point gains nothing from its decimal.
    static func isInteger(_ value: String) -> Bool {
        !value.isEmpty && value.drop(while: { $0 == "-" }).allSatisfy(\.isNumber)
    }

    private static func isDecimal(_ value: String) -> Bool {
        value.contains(".") && value.allSatisfy { $0.isNumber || $0 == "." || $0 == "-" }
    }
}
