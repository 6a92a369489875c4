import Foundation
import MathFarmCore
import MathSolvers
import SolverService

/// A job's result document (the solver's JSON, ARCHITECTURE.md section 4) as the solution page
/// shows it: the answer items (LaTeX, the exact text, the decimal in the reader's notation), a
/// one-line summary, and the steps in the reader's language. Nothing is recomputed: every
/// value shown is the solver's.
struct SolutionPresentation: Sendable {
    struct Answer: Sendable {
        let label: String?
        let latex: String
        let text: String
        let decimal: String?
    }

    struct Step: Sendable {
        let text: String
        let latex: String?
    }

    var summary: String?
    var answers: [Answer] = []
    var steps: [Step] = []

    /// The LaTeX of every answer, one per line (the "copy LaTeX" action).
    var allLatex: String { answers.map(\.latex).joined(separator: "\n") }

    /// `manifest` is the problem's registry entry (nil for a type this build no longer has: the
    /// generic `result`/`latex` reading then).
    init(manifest: ProblemManifest?, result: JSONValue, language: Language) {
        func string(_ value: JSONValue?) -> String? {
            if case .string(let text)? = value { return text }
            return nil
        }
        func strings(_ value: JSONValue?) -> [String] {
            guard case .array(let items)? = value else { return [] }
            return items.compactMap { string($0) }
        }
        func decimal(_ value: String?) -> String? { value.map { Formatting.decimal($0, language) } }
        let t = UIText.table(language)
        let kind = string(result["kind"])
        if let kind, let text = manifest?.resultKinds[kind] { summary = text.text(in: language) }

        switch manifest?.presentation ?? .value {
        case .roots:
            let roots = strings(result["roots"]), latex = strings(result["roots_latex"]), decimals = strings(result["roots_decimal"])
            let x = string(result["variable"]) ?? "x"
            if let discriminant = string(result["discriminant"]) {
                summary = [summary, "Δ = " + Formatting.decimal(discriminant, language)].compactMap { $0 }.joined(separator: " ")
            }
            for (index, root) in roots.enumerated() {
                let label: String
                if kind == "double" { label = t["doubleRoot"] ?? "" } else if roots.count == 1 { label = t["root"] ?? "" } else { label = "\(t["root"] ?? "") \(index + 1)" }
                let name = roots.count > 1 ? "\(x)_{\(index + 1)}" : x
                answers.append(Answer(
                    label: label, latex: "\(name) = " + (index < latex.count ? latex[index] : root),
                    text: (roots.count > 1 ? "\(x)\(index + 1)" : x) + " = " + root,
                    decimal: index < decimals.count ? decimal(decimals[index]) : nil
                ))
            }
        case .linearSystem:
            if case .array(let values)? = result["solution"] {
                for case .object(let value) in values {
                    let variable = string(value["variable"]) ?? "?"
                    answers.append(Answer(
                        label: nil, latex: "\(variable) = " + (string(value["latex"]) ?? string(value["value"]) ?? ""),
                        text: "\(variable) = " + (string(value["value"]) ?? ""), decimal: decimal(string(value["decimal"]))
                    ))
                }
            }
            let general = strings(result["general_solution"]), generalLatex = strings(result["general_solution_latex"])
            for (index, line) in general.enumerated() {
                answers.append(Answer(label: index == 0 ? t["generalSolution"] : nil, latex: index < generalLatex.count ? generalLatex[index] : line, text: line, decimal: nil))
            }
            if kind == "none", case .object(let reason)? = result["reason"], let text = string(reason[language.rawValue]) {
                summary = [summary, text].compactMap { $0 }.joined(separator: " ")
            }
            if let determinant = string(result["determinant"]) {
                summary = [summary, "\(t["determinant"] ?? "det") = \(determinant)."].compactMap { $0 }.joined(separator: " ")
            }
        case .solutionSet:
            if case .object(let set)? = result["solution_set"] {
                let x = string(result["variable"]) ?? "x"
                // The solver's LaTeX of each root, where it wrote one.
                var known: [String: String] = [:]
                if case .array(let roots)? = result["roots"] {
                    for case .object(let root) in roots {
                        if let value = string(root["value"]), let latex = string(root["latex"]) { known[value] = latex }
                    }
                }
                for (value, latex) in zip(strings(result["complex_roots"]), strings(result["complex_roots_latex"])) { known[value] = latex }
                if case .object(let chart)? = result["sign_chart"] {
                    for (value, latex) in zip(strings(chart["points"]), strings(chart["points_latex"])) { known[value] = latex }
                }
                let notation = SolutionSetNotation(set: set, variable: x, language: language, latex: known)
                answers.append(Answer(label: nil, latex: notation.latex, text: notation.text, decimal: nil))
                // Each irrational point with its decimal, derived by the solver from the exact value.
                var decimals: [String] = []
                if case .array(let roots)? = result["roots"] {
                    for case .object(let root) in roots { decimals.append(string(root["decimal"]) ?? "") }
                }
                let points = strings(set["points"])
                for (index, point) in points.enumerated().prefix(40) where index < decimals.count && !SolutionSetNotation.isInteger(point) && decimals[index] != point {
                    let name = points.count > 1 ? "\(x)_{\(index + 1)}" : x
                    answers.append(Answer(
                        label: nil, latex: "\(name) = " + (known[point] ?? SolutionSetNotation.latex(of: point)), text: "\(x) = \(point)",
                        decimal: decimal(decimals[index])
                    ))
                }
            }
            if case .array(let complexRoots)? = result["complex_roots"], !complexRoots.isEmpty {
                let roots = complexRoots.compactMap { string($0) }
                let latex = roots.map { SolutionSetNotation.latex(of: $0) }.joined(separator: ";\\ ")
                answers.append(Answer(label: t["complexRoots"], latex: latex, text: roots.joined(separator: "; "), decimal: nil))
            }
            if case .bool(false)? = result["exact"] { summary = [summary, t["certifiedDecimals"]].compactMap { $0 }.joined(separator: " ") }
        case .value:
            // derivative, integrals, limit and any later problem with `result` + `latex`.
            if let text = string(result["result"]) {
                if text == "does_not_exist" {
                    summary = t["doesNotExist"]
                } else if kind != "divergent" {
                    answers.append(Answer(label: nil, latex: string(result["latex"]) ?? text, text: text, decimal: decimal(string(result["decimal"]))))
                }
            }
            if case .bool(false)? = result["exact"] { summary = [summary, t["numericOnly"]].compactMap { $0 }.joined(separator: " ") }
        }
        if case .array(let items)? = result["steps"] {
            for case .object(let step) in items {
                var text = ""
                if case .object(let texts)? = step["text"] { text = string(texts[language.rawValue]) ?? string(texts["vi"]) ?? "" }
                let latex = string(step["latex"]).flatMap { $0.isEmpty ? nil : $0 }
                steps.append(Step(text: text, latex: latex))
            }
        }
    }
}
