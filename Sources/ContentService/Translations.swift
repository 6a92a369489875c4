import Foundation
import MathFarmCore
import PostgresNIO

/// `translations`: one row per entity, language and field. Reading content in a language takes
/// each field's translation when there is one and the original otherwise.
public struct Translations: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// field → text for each entity, in `language` (empty for the original language).
    func load(entityType: String, ids: [UUID], language: Language) async throws -> [UUID: [String: String]] {
        guard language != ContentService.originalLanguage, !ids.isEmpty else { return [:] }
        let rows = try await database.query("""
            SELECT entity_id, field_name, translated_text FROM translations
            WHERE entity_type = \(entityType) AND entity_id = ANY(\(ids)) AND language_code = \(language.rawValue)
            """)
        var result: [UUID: [String: String]] = [:]
        for try await (id, field, text) in rows.decode((UUID, String, String).self) {
            result[id, default: [:]][field] = text
        }
        return result
    }

    public func upsert(entityType: String, entityID: UUID, language: Language, field: String, text: String, translatorID: UUID?) async throws {
        try await database.query("""
            INSERT INTO translations (entity_type, entity_id, language_code, field_name, translated_text, is_approved, translator_id)
            VALUES (\(entityType), \(entityID), \(language.rawValue), \(field), \(text), true, \(translatorID))
            ON CONFLICT (entity_type, entity_id, language_code, field_name)
            DO UPDATE SET translated_text = EXCLUDED.translated_text, translator_id = EXCLUDED.translator_id, is_approved = true
            """)
    }
}
