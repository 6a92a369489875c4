import ExactMath
import Foundation
import MathFarmCore
import MathSolvers
import SolverService
import Symbolic

/// The website's one door into the solver registry for previews: checks an input exactly as a
/// submission is checked (`SolverRegistry.validate`, which the API runs before any money
/// moves) and renders what would be solved with the problem's `ProblemManifest.preview`.
enum ProblemPreview {
    typealias Rendering = ProblemRendering

    /// Validates; nil rendering for a valid input of a problem the preview cannot draw.
    static func check(problem code: String, input: JSONValue, registry: SolverRegistry) -> Result<Rendering?, SolveError> {
        let data: Data
        do {
            data = try JSONBody.encode(input)
        } catch {
            return .failure(SolveError(code: "invalid_input", vi: "Đầu vào không hợp lệ.", en: "Invalid input.", field: "input"))
        }
        do throws(SolveError) {
            try registry.validate(code: code, input: data)
        } catch {
            return .failure(error)
        }
        return .success(render(problem: code, data: data, registry: registry))
    }

    /// What would be solved, drawn by the problem's registry entry.
    static func render(problem code: String, data: Data, registry: SolverRegistry) -> Rendering? {
        registry.entry(for: code)?.manifest.preview(data)
    }

    /// A "did you mean" for a refused input: the rewrite of the field the error names, if
    /// that rewrite passes the same check. Nil when there is none.
    static func suggestion(problem code: String, values: [String: String], form: ProblemForm, error: SolveError, registry: SolverRegistry) -> (field: String, text: String)? {
        let named = form.field(named: error.field) ?? form.fields.first { field in
            values[field.name].map { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? false
        }?.name
        guard let field = named, let original = values[field], let spec = form.fields.first(where: { $0.name == field }) else { return nil }
        let corrected: String
        switch (field, spec.control) {
        case ("equation", _): corrected = InputCorrections.equation(original, requireEquals: true)
        case (_, .number): corrected = InputCorrections.number(original)
        case (_, .lines): corrected = original.split(whereSeparator: \.isNewline).map { InputCorrections.equation(String($0), requireEquals: false) }.joined(separator: "\n")
        case (_, .text): corrected = InputCorrections.expression(original)
        default: return nil
        }
        guard corrected != original.trimmingCharacters(in: .whitespacesAndNewlines), corrected != original else { return nil }
        var fixed = values
        fixed[field] = corrected
        guard let input = try? form.input(from: fixed), case .success = check(problem: code, input: input, registry: registry) else { return nil }
        return (field, corrected)
    }
}
