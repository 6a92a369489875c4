import Foundation
import MathFarmCore
import PostgresNIO

/// `system_settings`: typed values checked against their `validation_rules`, public ones
/// readable by anyone, encrypted ones sealed with AES-GCM and never returned in clear (a
/// response shows `"********"`; the audit log records only that the value changed).
public struct SystemSettings: Sendable {
    let database: Database
    let cipher: SettingsCipher

    public static let mask = "********"

    public init(database: Database, cipher: SettingsCipher) {
        self.database = database
        self.cipher = cipher
    }

    public enum ValueType: String, Sendable, Codable {
        case string, integer, decimal, boolean, json
    }

    public struct Setting: Sendable, Encodable, Equatable {
        public var key: String
        public var value: String?
        public var type: ValueType
        public var category: String
        public var isPublic: Bool
        public var isEncrypted: Bool
        public var description: String?
        public var validationRules: JSONValue?

        enum CodingKeys: String, CodingKey {
            case key, value, type, category, description
            case isPublic = "is_public"
            case isEncrypted = "is_encrypted"
            case validationRules = "validation_rules"
        }
    }

    private func load(where condition: String) async throws -> [Setting] {
        let rows = try await database.query("""
            SELECT setting_key, setting_value, setting_type::text, COALESCE(category, 'general'), COALESCE(is_public, false),
                   COALESCE(is_encrypted, false), description, validation_rules::text
            FROM system_settings WHERE \(unescaped: condition) ORDER BY category, setting_key
            """)
        var settings: [Setting] = []
        for try await (key, value, type, category, isPublic, encrypted, description, rules) in rows.decode((String, String?, String, String, Bool, Bool, String?, String?).self) {
            settings.append(Setting(
                key: key, value: encrypted ? (value == nil ? nil : Self.mask) : value, type: ValueType(rawValue: type) ?? .string,
                category: category, isPublic: isPublic && !encrypted, isEncrypted: encrypted, description: description,
                validationRules: rules.flatMap(JSONValue.init(text:))
            ))
        }
        return settings
    }

    /// Every setting, encrypted values masked (staff).
    public func all() async throws -> [Setting] { try await load(where: "true") }

    /// The public settings (anyone).
    public func publicSettings() async throws -> [Setting] { try await load(where: "COALESCE(is_public, false) AND NOT COALESCE(is_encrypted, false)") }

    /// The clear value of an encrypted setting, for the code that needs it (never for a response).
    public func secret(_ key: String) async throws -> String? {
        let rows = try await database.query("SELECT setting_value FROM system_settings WHERE setting_key = \(key) AND is_encrypted").collectRows()
        guard let stored = try rows.first?.decode(String?.self) else { return nil }
        return try cipher.open(stored)
    }

    /// For `SettingsCache`: the non-encrypted values and a version that changes with any write.
    public func snapshot() async throws -> (version: String, values: [String: String]) {
        let rows = try await database.query("""
            SELECT setting_key, COALESCE(setting_value, ''), (SELECT count(*) || ':' || COALESCE(max(updated_at)::text, '') FROM system_settings)
            FROM system_settings WHERE NOT COALESCE(is_encrypted, false)
            """)
        var values: [String: String] = [:]
        var version = "empty"
        for try await (key, value, stamp) in rows.decode((String, String, String).self) {
            values[key] = value
            version = stamp
        }
        return (version, values)
    }

    /// Validates and stores a new value; returns (old, new) as the audit log may show them.
    public func update(key: String, value: String) async throws -> (old: String?, new: String) {
        let rows = try await database.query("""
            SELECT setting_value, setting_type::text, COALESCE(is_encrypted, false), validation_rules::text FROM system_settings WHERE setting_key = \(key)
            """).collectRows()
        guard let row = rows.first else { throw APIError.notFound("setting") }
        let (old, typeText, encrypted, rulesText) = try row.decode((String?, String, Bool, String?).self)
        let type = ValueType(rawValue: typeText) ?? .string
        try Self.validate(value, type: type, rules: rulesText.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] } ?? [:])
        let stored = encrypted ? try cipher.seal(value) : value
        try await database.query("UPDATE system_settings SET setting_value = \(stored) WHERE setting_key = \(key)")
        return encrypted ? (old == nil ? nil : Self.mask, Self.mask) : (old, value)
    }

    static func invalid(_ vi: String, _ en: String) -> APIError {
        APIError(.unprocessableContent, code: "invalid_setting", vi: vi, en: en, details: ["field": "value"])
    }

    /// Type first, then the rules: `min`/`max` (numbers), `max_length`/`pattern` (strings),
    /// `enum` (allowed values).
    static func validate(_ value: String, type: ValueType, rules: [String: Any]) throws {
        switch type {
        case .string:
            break
        case .integer:
            guard let number = Int(value) else { throw invalid("Giá trị phải là số nguyên.", "The value must be an integer.") }
            if let min = (rules["min"] as? NSNumber)?.intValue, number < min { throw invalid("Giá trị nhỏ nhất là \(min).", "The smallest allowed value is \(min).") }
            if let max = (rules["max"] as? NSNumber)?.intValue, number > max { throw invalid("Giá trị lớn nhất là \(max).", "The largest allowed value is \(max).") }
        case .decimal:
            guard let number = Decimal(string: value), value.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }) else {
                throw invalid("Giá trị phải là số thập phân.", "The value must be a decimal number.")
            }
            if let min = (rules["min"] as? NSNumber)?.decimalValue, number < min { throw invalid("Giá trị nhỏ nhất là \(min).", "The smallest allowed value is \(min).") }
            if let max = (rules["max"] as? NSNumber)?.decimalValue, number > max { throw invalid("Giá trị lớn nhất là \(max).", "The largest allowed value is \(max).") }
        case .boolean:
            guard value == "true" || value == "false" else { throw invalid("Giá trị là true hoặc false.", "The value is true or false.") }
        case .json:
            guard (try? JSONSerialization.jsonObject(with: Data(value.utf8), options: [.fragmentsAllowed])) != nil else {
                throw invalid("Giá trị phải là JSON hợp lệ.", "The value must be valid JSON.")
            }
        }
        if let maxLength = (rules["max_length"] as? NSNumber)?.intValue, value.count > maxLength {
            throw invalid("Dài quá \(maxLength) ký tự.", "Longer than \(maxLength) characters.")
        }
        if let pattern = rules["pattern"] as? String, value.range(of: "^(?:\(pattern))$", options: .regularExpression) == nil {
            throw invalid("Giá trị không đúng định dạng.", "The value does not have the required format.")
        }
        if let allowed = rules["enum"] as? [Any], !allowed.contains(where: { "\($0)" == value }) {
            throw invalid("Giá trị không nằm trong danh sách cho phép.", "The value is not one of the allowed values.")
        }
    }
}
