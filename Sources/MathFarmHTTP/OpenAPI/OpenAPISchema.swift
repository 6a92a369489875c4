import Foundation
import MathFarmCore

/// A small vocabulary for writing the OpenAPI document's JSON Schemas (2020-12, as OpenAPI 3.1
/// uses them) in Swift, so that limits are the same constants the code enforces.
enum Schema {
    static func number(_ value: Int) -> JSONValue { .number(Decimal(value)) }
    static func number(_ value: Int64) -> JSONValue { .number(Decimal(value)) }

    static func string(
        min: Int? = nil, max: Int? = nil, pattern: String? = nil, format: String? = nil,
        oneOf values: [String]? = nil, description: String? = nil
    ) -> JSONValue {
        var schema: [String: JSONValue] = ["type": .string("string")]
        if let min { schema["minLength"] = number(min) }
        if let max { schema["maxLength"] = number(max) }
        if let pattern { schema["pattern"] = .string(pattern) }
        if let format { schema["format"] = .string(format) }
        if let values { schema["enum"] = .array(values.map(JSONValue.string)) }
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }

    static func integer(min: Int64? = nil, max: Int64? = nil, description: String? = nil) -> JSONValue {
        var schema: [String: JSONValue] = ["type": .string("integer")]
        if let min { schema["minimum"] = number(min) }
        if let max { schema["maximum"] = number(max) }
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }

    static let boolean: JSONValue = .object(["type": .string("boolean")])
    static let uuid = string(format: "uuid")
    static let dateTime = string(format: "date-time")
    /// Any JSON value (documents passed through: solve inputs and results, audit values).
    static let any: JSONValue = .object([:])
    static let anyObject: JSONValue = .object(["type": .string("object")])

    static func ref(_ name: String) -> JSONValue {
        .object(["$ref": .string("#/components/schemas/\(name)")])
    }

    static func array(_ items: JSONValue, min: Int? = nil, max: Int? = nil, unique: Bool = false) -> JSONValue {
        var schema: [String: JSONValue] = ["type": .string("array"), "items": items]
        if let min { schema["minItems"] = number(min) }
        if let max { schema["maxItems"] = number(max) }
        if unique { schema["uniqueItems"] = .bool(true) }
        return .object(schema)
    }

    /// An object. Request bodies are `closed` (the server refuses undeclared members); response
    /// objects stay open, so adding a field is not a breaking change.
    static func object(_ properties: [String: JSONValue], required: [String] = [], closed: Bool = false, description: String? = nil) -> JSONValue {
        var schema: [String: JSONValue] = ["type": .string("object"), "properties": .object(properties)]
        if !required.isEmpty { schema["required"] = .array(required.sorted().map(JSONValue.string)) }
        if closed { schema["additionalProperties"] = .bool(false) }
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }

    /// `schema` or JSON null (3.1 style: a type list, or `anyOf` for references).
    static func nullable(_ schema: JSONValue) -> JSONValue {
        if case .object(var fields) = schema, case .string(let type)? = fields["type"] {
            fields["type"] = .array([.string(type), .string("null")])
            if case .array(let values)? = fields["enum"] { fields["enum"] = .array(values + [.null]) }
            return .object(fields)
        }
        return .object(["anyOf": .array([schema, .object(["type": .string("null")])])])
    }

    static func oneOf(_ schemas: [JSONValue], description: String? = nil) -> JSONValue {
        var schema: [String: JSONValue] = ["oneOf": .array(schemas)]
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }

    /// A money amount in a response: a decimal string with two decimals.
    static let moneyOut = string(pattern: #"^-?[0-9]{1,13}\.[0-9]{2}$"#, description: "VND, two decimals")

    /// A money amount in a request: a decimal string (at most two decimals) or a JSON integer of
    /// dong; never a fractional JSON number.
    static let moneyIn = oneOf([
        string(pattern: #"^[+-]?[0-9]{1,13}(\.[0-9]{1,2})?$"#),
        integer(min: -(Money.maximumMinorUnits / 100), max: Money.maximumMinorUnits / 100),
    ], description: "VND: a decimal string with at most two decimals, or an integer of dong")
}
