import MathFarmCore

/// The content service owns `content_service_db`: categories, pages, FAQs and translations.
///
/// Its schema is migrated today; the endpoints arrive with the content-and-admin issue (#6).
/// Nothing else may query `content_service_db`.
public enum ContentService {
    public static let database = ServiceDatabase.content
}
