import Foundation
import MathFarmCore
import MathSolvers
import SolverService

/// The form of a problem type: the fields its registry entry (`ProblemManifest.fields`)
/// declares, grouped by the `input_schema`'s `oneOf` alternatives into "this, or that" groups
/// (the quadratic's equation or a, b, c), options (`digits`) apart. Field names are the
/// schema's, so the form, the preview endpoint and the JSON API speak about the same `field`.
struct ProblemForm: Sendable {
    typealias Field = ProblemField

    struct Group: Sendable {
        let legend: LocalizedText
        let fields: [Field]
        /// A choice between groups: only the first one filled in is sent.
        let isAlternative: Bool
    }

    let code: String
    let groups: [Group]

    var fields: [Field] { groups.flatMap(\.fields) }

    /// The form for a catalog problem: the fields its registry entry declares (those its schema
    /// has), grouped by the schema's `oneOf` alternatives; nil when there is nothing to ask for.
    init?(problem: Problem, registry: SolverRegistry) {
        code = problem.code
        guard let manifest = registry.entry(for: problem.code)?.manifest,
              case .object(let schema) = problem.inputSchema, case .object(let properties)? = schema["properties"] else { return nil }
        let offered = manifest.fields.filter { properties[$0.name] != nil }
        var alternatives: [[String]] = []
        if case .array(let choices)? = schema["oneOf"] {
            for choice in choices {
                guard case .object(let object) = choice, case .array(let required)? = object["required"] else { continue }
                let fields = required.compactMap { value -> String? in if case .string(let name) = value { return name } else { return nil } }
                // An alternative the website cannot ask for (a matrix) stays with the JSON API.
                if !fields.isEmpty, fields.allSatisfy({ name in offered.contains { $0.name == name } }) { alternatives.append(fields) }
            }
        }
        // In the order the manifest lists them: the alternative a student reaches for first first.
        let rank = Dictionary(offered.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        alternatives.sort { (rank[$0.first ?? ""] ?? .max) < (rank[$1.first ?? ""] ?? .max) }
        var groups: [Group] = []
        let grouped = Set(alternatives.joined())
        let main = offered.filter { !grouped.contains($0.name) && !$0.isOption }
        if alternatives.count > 1 {
            for names in alternatives {
                let fields = offered.filter { names.contains($0.name) }
                groups.append(Group(legend: fields.first?.alternativeLegend ?? Self.text("formProblem"), fields: fields, isAlternative: true))
            }
            if !main.isEmpty { groups.append(Group(legend: Self.text("formProblem"), fields: main, isAlternative: false)) }
        } else {
            let fields = offered.filter { (alternatives.first ?? []).contains($0.name) } + main
            guard !fields.isEmpty else { return nil }
            groups.append(Group(legend: Self.text("formProblem"), fields: fields, isAlternative: false))
        }
        let options = offered.filter(\.isOption)
        if !options.isEmpty { groups.append(Group(legend: Self.text("formOptions"), fields: options, isAlternative: false)) }
        self.groups = groups
    }

    static func text(_ key: String) -> LocalizedText {
        LocalizedText(vi: UIText.text(key, .vi), en: UIText.text(key, .en))
    }

    /// A field-level problem found before the input reaches the solver.
    struct FieldError: Error, Sendable {
        let field: String
        /// `missing_field` or `invalid_field` (the error catalogue's codes).
        let code: String
        let message: LocalizedText

        var apiError: APIError {
            APIError(.unprocessableContent, code: code, vi: message.vi, en: message.en, details: ["field": field])
        }
    }

    /// The JSON input of a submission from the typed values: empty fields are left out; of
    /// alternative groups only the first one with something typed in is sent; numbers are sent
    /// as the exact text typed (a decimal comma read as a point), integers as JSON integers.
    func input(from values: [String: String]) throws(FieldError) -> JSONValue {
        func typed(_ name: String) -> String? {
            guard let value = values[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
            return value
        }
        var object: [String: JSONValue] = [:]
        let chosen = groups.first { $0.isAlternative && $0.fields.contains { typed($0.name) != nil } }
        for group in groups where !group.isAlternative || group.fields.map(\.name) == chosen?.fields.map(\.name) {
            for field in group.fields {
                guard let value = typed(field.name) else { continue }
                switch field.control {
                case .text:
                    object[field.name] = .string(value)
                case .number:
                    object[field.name] = .string(InputCorrections.number(value))
                case .integer:
                    guard let number = Int(value.replacingOccurrences(of: " ", with: "")), abs(number) <= 1_000_000 else {
                        throw FieldError(field: field.name, code: "invalid_field", message: Self.text("fieldInteger"))
                    }
                    object[field.name] = .number(Decimal(number))
                case .lines:
                    let lines = value.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                    object[field.name] = .array(lines.map(JSONValue.string))
                case .choice(let options):
                    guard options.contains(where: { $0.value == value }) else {
                        throw FieldError(field: field.name, code: "invalid_field", message: .init(vi: "Lựa chọn không hợp lệ.", en: "Not one of the choices."))
                    }
                    object[field.name] = .string(value)
                }
            }
        }
        // Nothing typed where the problem itself goes: say so before asking the solver.
        let principal = chosen ?? groups.first
        if let principal, !principal.fields.contains(where: { typed($0.name) != nil }), let first = principal.fields.first {
            throw FieldError(field: first.name, code: "missing_field", message: Self.text("fieldMissing"))
        }
        return .object(object)
    }

    /// The form field a service error names (`input.expression` → `expression`), if the form
    /// has it.
    func field(named detail: String?) -> String? {
        guard var name = detail else { return nil }
        if name.hasPrefix("input.") { name.removeFirst("input.".count) }
        if let bracket = name.firstIndex(of: "[") { name = String(name[..<bracket]) }
        return fields.contains { $0.name == name } ? name : nil
    }
}
