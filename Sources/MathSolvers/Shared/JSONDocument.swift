import Foundation

/// A JSON value as the input schemas see it: just enough structure to check a document against
/// a schema (the kind of every value, object keys, array items, string lengths and numeric
/// bounds). Numbers keep whether they were written as integers, because JSON Schema's
/// `integer` and `number` differ there; their magnitude is a `Double`, used only for bounds.
public indirect enum JSONDocument: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONDocument])
    case object([String: JSONDocument])

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(Decimal.self) {
            // Past Double's range (1e400): the solver reads the digits exactly; the schema only
            // needs to know it is a number.
            self = .number(value.isSignMinus ? -.infinity : .infinity)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONDocument].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONDocument].self))
        }
    }

    /// Parses `data`; nil when it is not JSON.
    public static func parse(_ data: Data) -> JSONDocument? {
        try? JSONDecoder().decode(JSONDocument.self, from: data)
    }

    /// JSON Schema's name of the value's type (`integer` for integral numbers).
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    var numericValue: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }

    var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }
}
