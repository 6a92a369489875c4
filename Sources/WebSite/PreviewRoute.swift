import Foundation
import Hummingbird
import MathFarmCore
import MathSolvers
import SolverService

/// The query parameters `GET /api/v1/preview` reads, for the OpenAPI document.
public enum PreviewContract {
    /// Characters per field. The whole query must also fit the HTTP server's 80 KiB request
    /// head, so a longer input (a large linear system) is checked on submission, not previewed.
    public static let maxFieldLength = 2_000

    /// Every field a problem form of this registry can have, with its length limit.
    public static func fields(of registry: SolverRegistry) -> [(name: String, maxLength: Int)] {
        var seen: Set<String> = []
        return registry.productEntries.flatMap(\.manifest.fields).compactMap { field in
            seen.insert(field.name).inserted ? (field.name, maxFieldLength) : nil
        }
    }
}

/// `GET /api/v1/preview?problem=<code>&<field>=<value>…`: free, no account needed. Checks an
/// input exactly as `POST /api/v1/solutions` would (nothing is charged, nothing is stored) and
/// answers what would be solved, as LaTeX and text. The fields are the problem's form fields
/// (the names of its `input_schema` properties; `equations` one per line); a refused input is
/// the usual 422 with `details.field` and, when a rewrite of that field passes,
/// `details.did_you_mean`. The query is form-encoded, as browsers send it: `+` is a space, a
/// plus sign is `%2B`.
///
/// 200 `{"problem", "input", "latex", "text", "message"}`; 422 `unknown_problem`,
/// `missing_field`, `syntax_error`, `invalid_input`, `field_too_long`, …; 413 `input_too_large`
/// past the problem's input limit. Each field is at most 2,000 characters.
struct PreviewRoute: Sendable {
    let catalog: ProblemCatalog
    let registry: SolverRegistry

    struct Answer: Encodable {
        let problem: String
        let input: JSONValue
        let latex: String?
        let text: String?
        let message: String
    }

    static let maxFieldLength = PreviewContract.maxFieldLength

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("preview") { request, context in
            let query = try FormFields.query(request)
            guard let code = query["problem"], !code.isEmpty else { throw APIError.missingField("problem") }
            guard let problem = try await catalog.problem(code: code), problem.isActive, let form = ProblemForm(problem: problem, registry: registry) else {
                throw APIError(
                    .unprocessableContent, code: "unknown_problem",
                    vi: "Không có dạng bài '\(code.prefix(64))'.", en: "There is no problem type '\(code.prefix(64))'.",
                    details: ["field": "problem"]
                )
            }
            var values: [String: String] = [:]
            for field in form.fields {
                guard let value = query[field.name] else { continue }
                guard value.count <= Self.maxFieldLength else { throw APIError.tooLong(field.name, limit: Self.maxFieldLength) }
                values[field.name] = value
            }
            let input: JSONValue
            do throws(ProblemForm.FieldError) {
                input = try form.input(from: values)
            } catch {
                throw error.apiError
            }
            let size = (try? JSONBody.encode(input).count) ?? 0
            let limit = registry.maxInputBytes(for: code)
            guard size <= limit else {
                throw APIError(
                    .contentTooLarge, code: "input_too_large",
                    vi: "Đầu vào dài quá \(limit) byte cho dạng bài này.", en: "The input is larger than \(limit) bytes for this problem type.",
                    details: ["field": "input", "limit": String(limit)]
                )
            }
            switch ProblemPreview.check(problem: code, input: input, registry: registry) {
            case .success(let rendering):
                return try JSONBody.response(Answer(
                    problem: code, input: input, latex: rendering?.latex, text: rendering?.text,
                    message: UIText.text("previewOK", context.language)
                ))
            case .failure(let error):
                var details = ["field": form.field(named: error.field) ?? error.field ?? "input"]
                if let suggestion = ProblemPreview.suggestion(problem: code, values: values, form: form, error: error, registry: registry) {
                    details["field"] = suggestion.field
                    details["did_you_mean"] = suggestion.text
                }
                throw APIError(.unprocessableContent, code: error.code, vi: error.message.vi, en: error.message.en, details: details)
            }
        }
    }
}
