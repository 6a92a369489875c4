import Foundation
import MathFarmCore
import SolverService

/// The form of a problem type, derived from the catalog's `input_schema`: its properties
/// become fields, its `oneOf` alternatives become "this, or that" groups (the quadratic's
/// equation or a, b, c), `digits` goes to the options. Field names are the schema's, so the
/// form, the preview endpoint and the JSON API speak about the same `field`.
struct ProblemForm: Sendable {
    enum Control: Sendable, Equatable {
        case text
        /// A number typed by a person: `1,5` is read as 1.5.
        case number
        case integer
        /// One entry per line (a JSON array of strings).
        case lines
        case choice([(value: String, label: LocalizedText)])

        static func == (lhs: Control, rhs: Control) -> Bool {
            switch (lhs, rhs) {
            case (.text, .text), (.number, .number), (.integer, .integer), (.lines, .lines): return true
            case (.choice(let a), .choice(let b)): return a.map(\.value) == b.map(\.value)
            default: return false
            }
        }
    }

    struct Field: Sendable {
        let name: String
        let control: Control
        let label: LocalizedText
        let hint: LocalizedText
        let placeholder: String
    }

    struct Group: Sendable {
        let legend: LocalizedText
        let fields: [Field]
        /// A choice between groups: only the first one filled in is sent.
        let isAlternative: Bool
    }

    let code: String
    let groups: [Group]

    var fields: [Field] { groups.flatMap(\.fields) }

    /// The fields the website knows how to ask for, in the order a form shows them.
    static let known: [Field] = [
        Field(name: "equation", control: .text, label: .init(vi: "Phương trình", en: "Equation"),
              hint: .init(vi: "Ví dụ 2x^2 - 3x + 1 = 0; hai vế đều được.", en: "For example 2x^2 - 3x + 1 = 0; terms on both sides are fine."), placeholder: "2x^2 - 3x + 1 = 0"),
        Field(name: "a", control: .number, label: .init(vi: "a", en: "a"), hint: .init(vi: "Số nguyên, thập phân hoặc phân số.", en: "Integer, decimal or fraction."), placeholder: "1"),
        Field(name: "b", control: .number, label: .init(vi: "b", en: "b"), hint: .init(vi: "Ví dụ -3 hoặc 1/2.", en: "For example -3 or 1/2."), placeholder: "-3"),
        Field(name: "c", control: .number, label: .init(vi: "c", en: "c"), hint: .init(vi: "Ví dụ 1,5.", en: "For example 1.5."), placeholder: "1"),
        Field(name: "equations", control: .lines, label: .init(vi: "Các phương trình (mỗi dòng một phương trình)", en: "Equations (one per line)"),
              hint: .init(vi: "Ví dụ x + 2y = 5 và 3x - y = 1 trên hai dòng.", en: "For example x + 2y = 5 and 3x - y = 1 on two lines."), placeholder: "x + 2y = 5\n3x - y = 1"),
        Field(name: "expression", control: .text, label: .init(vi: "Biểu thức", en: "Expression"),
              hint: .init(vi: "Ví dụ x^2*sin(x), e^(2x), sqrt(x+1), ln(x)/x.", en: "For example x^2*sin(x), e^(2x), sqrt(x+1), ln(x)/x."), placeholder: "x^2*sin(x)"),
        Field(name: "variable", control: .text, label: .init(vi: "Biến", en: "Variable"), hint: .init(vi: "Mặc định x.", en: "x if left empty."), placeholder: "x"),
        Field(name: "order", control: .integer, label: .init(vi: "Cấp đạo hàm", en: "Order"), hint: .init(vi: "1 đến 10; mặc định 1.", en: "1 to 10; 1 if left empty."), placeholder: "1"),
        Field(name: "lower", control: .number, label: .init(vi: "Cận dưới", en: "Lower bound"), hint: .init(vi: "Số, pi/2, e, -oo…", en: "A number, pi/2, e, -oo…"), placeholder: "0"),
        Field(name: "upper", control: .number, label: .init(vi: "Cận trên", en: "Upper bound"), hint: .init(vi: "Số, pi, oo…", en: "A number, pi, oo…"), placeholder: "1"),
        Field(name: "point", control: .number, label: .init(vi: "Điểm giới hạn", en: "Limit point"), hint: .init(vi: "Số, pi, oo hoặc -oo.", en: "A number, pi, oo or -oo."), placeholder: "0"),
        Field(name: "direction", control: .choice([
            ("both", .init(vi: "Hai phía", en: "Both sides")), ("+", .init(vi: "Bên phải (x → a⁺)", en: "From the right (x → a⁺)")),
            ("-", .init(vi: "Bên trái (x → a⁻)", en: "From the left (x → a⁻)")),
        ]), label: .init(vi: "Hướng", en: "Direction"), hint: .init(vi: "Giới hạn một phía hay hai phía.", en: "One-sided or two-sided."), placeholder: ""),
        Field(name: "digits", control: .integer, label: .init(vi: "Số chữ số thập phân", en: "Decimal places"),
              hint: .init(vi: "0 đến 1000; mặc định 15. Giá trị gần đúng tính từ kết quả chính xác.", en: "0 to 1000; 15 if left empty. Decimals are computed from the exact answer."), placeholder: "15"),
    ]

    static let optionNames: Set<String> = ["digits"]

    /// The form for a catalog problem; nil when the schema offers nothing a form can ask for.
    init?(problem: Problem) {
        code = problem.code
        guard case .object(let schema) = problem.inputSchema, case .object(let properties)? = schema["properties"] else { return nil }
        let names = Set(properties.keys)
        let offered = Self.known.filter { names.contains($0.name) }
        var alternatives: [[String]] = []
        if case .array(let choices)? = schema["oneOf"] {
            for choice in choices {
                guard case .object(let object) = choice, case .array(let required)? = object["required"] else { continue }
                let fields = required.compactMap { value -> String? in if case .string(let name) = value { return name } else { return nil } }
                // An alternative the website cannot ask for (a matrix) stays with the JSON API.
                if !fields.isEmpty, fields.allSatisfy({ name in offered.contains { $0.name == name } }) { alternatives.append(fields) }
            }
        }
        // The alternative a student reaches for first (the equation) first.
        let rank = Dictionary(uniqueKeysWithValues: Self.known.enumerated().map { ($1.name, $0) })
        alternatives.sort { (rank[$0.first ?? ""] ?? .max) < (rank[$1.first ?? ""] ?? .max) }
        var groups: [Group] = []
        let grouped = Set(alternatives.joined())
        let main = offered.filter { !grouped.contains($0.name) && !Self.optionNames.contains($0.name) }
        if alternatives.count > 1 {
            for names in alternatives {
                let legend: String
                switch Set(names) {
                case ["equation"]: legend = "formEquation"
                case ["a", "b", "c"]: legend = "formCoefficients"
                default: legend = "formProblem"
                }
                groups.append(Group(legend: Self.text(legend), fields: offered.filter { names.contains($0.name) }, isAlternative: true))
            }
            if !main.isEmpty { groups.append(Group(legend: Self.text("formProblem"), fields: main, isAlternative: false)) }
        } else {
            let fields = offered.filter { (alternatives.first ?? []).contains($0.name) } + main
            guard !fields.isEmpty else { return nil }
            groups.append(Group(legend: Self.text("formProblem"), fields: fields, isAlternative: false))
        }
        let options = offered.filter { Self.optionNames.contains($0.name) }
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
