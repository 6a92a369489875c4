import Foundation

/// A problem type's JSON Schema: the text `GET /api/v1/problems` publishes, and the check the
/// API runs against an input before any money moves, so the published document and what the
/// farm accepts cannot drift apart (an undeclared field is refused, not silently ignored). The
/// tests run the same check on solver results against the published result schemas.
///
/// The check covers the subset of JSON Schema (2020-12) that the registry's schemas use: `type`,
/// `properties`, `required`, `additionalProperties` (false or a schema), `items`, `minItems`,
/// `maxItems`, `minLength`, `maxLength` (in Unicode scalars), `minimum`, `maximum`, `enum`,
/// `pattern`, `oneOf`, `anyOf`, `not`; annotations (`$schema`, `title`, `description`,
/// `examples`, `default`) are published and not checked. A schema that uses anything else is
/// rejected when it is built, so a keyword can never be published and quietly not enforced.
/// The solver's own parse then checks what a schema cannot say (an expression parses, a
/// denominator is not zero).
public struct ProblemSchema: Sendable {
    /// The schema as published.
    public let text: String
    let root: SchemaNode

    /// Reads `text`; throws when it is not a JSON object or uses a keyword the check does not
    /// implement (a programming error in a registry entry, caught by the registry's tests).
    public init(_ text: String) throws(ProblemSchema.Unsupported) {
        guard let document = JSONDocument.parse(Data(text.utf8)) else { throw Unsupported(reason: "not JSON") }
        self.text = text
        self.root = try SchemaNode(document, path: "#")
    }

    /// A schema the check cannot enforce.
    public struct Unsupported: Error, Sendable, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    /// Checks an input document. The first violation is reported with the field it concerns
    /// (`digits`, `matrix[0][2]`; `input` for the document as a whole).
    public func check(_ input: Data) throws(SolveError) {
        guard let document = JSONDocument.parse(input) else {
            throw .invalid(
                "input", vi: "Không đọc được đầu vào như JSON (số quá lớn hãy viết dạng chuỗi, ví dụ \"1e400\").",
                en: "The input could not be read as JSON (write numbers out of range as strings, e.g. \"1e400\")."
            )
        }
        try check(document)
    }

    public func check(_ document: JSONDocument) throws(SolveError) {
        try root.check(document, field: nil)
    }
}

/// One (sub)schema, read once into the rules it states.
struct SchemaNode: Sendable {
    static let annotations: Set<String> = ["$schema", "title", "description", "examples", "default"]

    var types: [String]?
    var properties: [String: SchemaNode] = [:]
    var propertyOrder: [String] = []  // sorted, for messages
    var required: [String] = []
    var additionalProperties: [SchemaNode]?  // nil: allowed; []: refused; [schema]: checked
    var items: [SchemaNode] = []
    var minItems: Int?
    var maxItems: Int?
    var minLength: Int?
    var maxLength: Int?
    var minimum: Double?
    var maximum: Double?
    var allowed: [JSONDocument]?
    var pattern: String?
    var oneOf: [SchemaNode] = []
    var anyOf: [SchemaNode] = []
    var not: [SchemaNode] = []

    init(_ document: JSONDocument, path: String) throws(ProblemSchema.Unsupported) {
        guard case .object(let keywords) = document else { throw .init(reason: "\(path) is not an object") }
        for (keyword, value) in keywords.sorted(by: { $0.key < $1.key }) where !Self.annotations.contains(keyword) {
            let at = "\(path)/\(keyword)"
            switch (keyword, value) {
            case ("type", .string(let name)): types = [name]
            case ("type", .array(let names)): types = try names.map { (name: JSONDocument) throws(ProblemSchema.Unsupported) -> String in try Self.string(name, at: at) }
            case ("properties", .object(let schemas)):
                for (name, schema) in schemas { properties[name] = try SchemaNode(schema, path: "\(at)/\(name)") }
                propertyOrder = schemas.keys.sorted()
            case ("required", .array(let names)): required = try names.map { (name: JSONDocument) throws(ProblemSchema.Unsupported) -> String in try Self.string(name, at: at) }
            case ("additionalProperties", .bool(let allowed)): additionalProperties = allowed ? nil : []
            case ("additionalProperties", .object): additionalProperties = [try SchemaNode(value, path: at)]
            case ("items", .object): items = [try SchemaNode(value, path: at)]
            case ("minItems", .integer(let n)): minItems = Int(n)
            case ("maxItems", .integer(let n)): maxItems = Int(n)
            case ("minLength", .integer(let n)): minLength = Int(n)
            case ("maxLength", .integer(let n)): maxLength = Int(n)
            case ("minimum", _) where value.numericValue != nil: minimum = value.numericValue
            case ("maximum", _) where value.numericValue != nil: maximum = value.numericValue
            case ("enum", .array(let values)): allowed = values
            case ("pattern", .string(let text)):
                guard (try? Regex(text)) != nil else { throw .init(reason: "\(at) does not compile") }
                pattern = text
            case ("oneOf", .array(let schemas)): oneOf = try Self.nodes(schemas, at: at)
            case ("anyOf", .array(let schemas)): anyOf = try Self.nodes(schemas, at: at)
            case ("not", .object): not = [try SchemaNode(value, path: at)]
            default: throw .init(reason: "\(at) is not a keyword the input check implements")
            }
        }
        let known: Set<String> = ["null", "boolean", "integer", "number", "string", "array", "object"]
        if let types, let unknown = types.first(where: { !known.contains($0) }) {
            throw .init(reason: "\(path)/type names an unknown type \(unknown)")
        }
    }

    private static func string(_ value: JSONDocument, at path: String) throws(ProblemSchema.Unsupported) -> String {
        guard let text = value.stringValue else { throw .init(reason: "\(path) holds a non-string") }
        return text
    }

    private static func nodes(_ schemas: [JSONDocument], at path: String) throws(ProblemSchema.Unsupported) -> [SchemaNode] {
        var nodes: [SchemaNode] = []
        for (index, schema) in schemas.enumerated() { nodes.append(try SchemaNode(schema, path: "\(path)/\(index)")) }
        return nodes
    }

    // MARK: Checking

    func check(_ value: JSONDocument, field: String?) throws(SolveError) {
        let name = field ?? "input"
        if let types, !types.contains(where: { Self.matches(value, type: $0) }) {
            let expected = types.map { Self.typeNames[$0] ?? ($0, $0) }
            throw .invalid(
                name, vi: "'\(name)' phải là \(expected.map(\.0).joined(separator: " hoặc ")).",
                en: "'\(name)' must be \(expected.map(\.1).joined(separator: " or "))."
            )
        }
        if let allowed, !allowed.contains(value) {
            let list = allowed.map(Self.literal).joined(separator: ", ")
            throw .invalid(name, vi: "'\(name)' phải là một trong: \(list).", en: "'\(name)' must be one of: \(list).")
        }
        switch value {
        case .object(let members): try checkObject(members, field: field)
        case .array(let elements): try checkArray(elements, name: name)
        case .string(let text): try checkString(text, name: name)
        case .integer, .number: try checkNumber(value.numericValue ?? 0, name: name)
        case .null, .bool: break
        }
        if !oneOf.isEmpty, oneOf.filter({ $0.accepts(value) }).count != 1 {
            throw formsError(oneOf, name: name, exactlyOne: true)
        }
        if !anyOf.isEmpty, !anyOf.contains(where: { $0.accepts(value) }) {
            throw formsError(anyOf, name: name, exactlyOne: false)
        }
        if let excluded = not.first, excluded.accepts(value) {
            throw .invalid(name, vi: "'\(name)' không được có dạng này.", en: "'\(name)' must not take this form.")
        }
    }

    func accepts(_ value: JSONDocument) -> Bool {
        do {
            try check(value, field: nil)
            return true
        } catch {
            return false
        }
    }

    private func checkObject(_ members: [String: JSONDocument], field: String?) throws(SolveError) {
        func path(_ key: String) -> String { field.map { "\($0).\(key)" } ?? key }
        if let additional = additionalProperties {
            for key in members.keys.sorted() where properties[key] == nil {
                if let schema = additional.first {
                    try schema.check(members[key] ?? .null, field: path(key))
                } else {
                    let accepted = propertyOrder.joined(separator: ", ")
                    throw SolveError(
                        code: "unknown_field",
                        vi: "Dạng bài này không có trường '\(key)'; các trường là: \(accepted).",
                        en: "'\(key)' is not a field of this problem type; the fields are: \(accepted).",
                        field: path(key)
                    )
                }
            }
        }
        for key in members.keys.sorted() {
            guard let schema = properties[key], let member = members[key] else { continue }
            try schema.check(member, field: path(key))
        }
        for key in required where members[key] == nil {
            throw SolveError(code: "missing_field", vi: "Thiếu trường '\(key)'.", en: "The field '\(key)' is missing.", field: path(key))
        }
    }

    private func checkArray(_ elements: [JSONDocument], name: String) throws(SolveError) {
        if let minItems, elements.count < minItems {
            throw .invalid(name, vi: "'\(name)' cần ít nhất \(minItems) phần tử.", en: "'\(name)' needs at least \(minItems) items.")
        }
        if let maxItems, elements.count > maxItems {
            throw .invalid(name, vi: "'\(name)' có nhiều nhất \(maxItems) phần tử.", en: "'\(name)' has at most \(maxItems) items.")
        }
        guard let schema = items.first else { return }
        for (index, element) in elements.enumerated() {
            try schema.check(element, field: "\(name)[\(index)]")
        }
    }

    private func checkString(_ text: String, name: String) throws(SolveError) {
        let length = text.unicodeScalars.count
        if let minLength, length < minLength {
            throw .invalid(name, vi: "'\(name)' cần ít nhất \(minLength) ký tự.", en: "'\(name)' needs at least \(minLength) characters.")
        }
        if let maxLength, length > maxLength {
            throw .invalid(name, vi: "'\(name)' dài quá \(maxLength) ký tự.", en: "'\(name)' is longer than \(maxLength) characters.")
        }
        if let pattern, let regex = try? Regex(pattern), text.firstMatch(of: regex) == nil {
            throw .invalid(name, vi: "'\(name)' không đúng dạng \(pattern).", en: "'\(name)' does not have the form \(pattern).")
        }
    }

    private func checkNumber(_ number: Double, name: String) throws(SolveError) {
        let outside = (minimum.map { number < $0 } ?? false) || (maximum.map { number > $0 } ?? false)
        guard outside else { return }
        let range: (String, String) = switch (minimum, maximum) {
        case let (low?, high?): ("từ \(Self.literal(low)) đến \(Self.literal(high))", "between \(Self.literal(low)) and \(Self.literal(high))")
        case let (low?, nil): ("ít nhất \(Self.literal(low))", "at least \(Self.literal(low))")
        case let (nil, high?): ("nhiều nhất \(Self.literal(high))", "at most \(Self.literal(high))")
        case (nil, nil): ("", "")
        }
        throw .invalid(name, vi: "'\(name)' phải \(range.0).", en: "'\(name)' must be \(range.1).")
    }

    /// "a, b, c | equation": the forms a oneOf/anyOf offers, by the fields each requires.
    private func formsError(_ forms: [SchemaNode], name: String, exactlyOne: Bool) -> SolveError {
        let described = forms.map { $0.required.isEmpty ? "…" : "{" + $0.required.joined(separator: ", ") + "}" }.joined(separator: " | ")
        return .invalid(
            name,
            vi: "'\(name)' phải có \(exactlyOne ? "đúng một" : "ít nhất một") trong các dạng: \(described).",
            en: "'\(name)' must take \(exactlyOne ? "exactly one" : "at least one") of these forms: \(described)."
        )
    }

    private static func matches(_ value: JSONDocument, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object): true
        case ("integer", .integer), ("number", .integer), ("number", .number): true
        case ("integer", .number(let x)): x.isFinite && x == x.rounded()
        default: false
        }
    }

    private static let typeNames: [String: (String, String)] = [
        "null": ("null", "null"), "boolean": ("true hoặc false", "true or false"), "integer": ("số nguyên", "an integer"),
        "number": ("số", "a number"), "string": ("chuỗi", "a string"), "array": ("mảng", "an array"), "object": ("đối tượng JSON", "a JSON object"),
    ]

    private static func literal(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }

    private static func literal(_ value: JSONDocument) -> String {
        switch value {
        case .string(let text): "\"\(text)\""
        case .integer(let n): String(n)
        case .number(let x): literal(x)
        case .bool(let b): String(b)
        case .null: "null"
        case .array, .object: "…"
        }
    }
}
