import Foundation
import MathFarmCore

/// The content service owns `content_service_db`: categories, pages, FAQs and translations.
/// Nothing else may query that database; other services use `ContentStore`.
public enum ContentService {
    public static let database = ServiceDatabase.content
    /// The language content is authored in; translations supply the other one.
    public static let originalLanguage = Language.vi
}

public enum PageStatus: String, Sendable, Codable {
    case draft, published, archived
}

public struct Category: Sendable, Codable, Equatable {
    public var id: UUID
    public var name: String
    public var slug: String
    public var parentID: UUID?
    public var description: String?
    public var sortOrder: Int
    public var isActive: Bool
    public var children: [Category]

    enum CodingKeys: String, CodingKey {
        case id, name, slug, description, children
        case parentID = "parent_id"
        case sortOrder = "sort_order"
        case isActive = "is_active"
    }
}

public struct Page: Sendable, Codable, Equatable {
    public var id: UUID
    public var categoryID: UUID?
    public var title: String
    public var slug: String
    public var content: String
    public var excerpt: String?
    public var status: PageStatus
    public var metaTitle: String?
    public var metaDescription: String?
    public var featuredImageURL: String?
    public var viewCount: Int
    /// The staff account that wrote the page. Never encoded: staff ids are not public (they
    /// name accounts an attacker could target), so pages carry no author in JSON.
    public var authorID: UUID?
    public var publishedAt: Date?
    public var language: String

    enum CodingKeys: String, CodingKey {
        case id, title, slug, content, excerpt, status, language
        case categoryID = "category_id"
        case metaTitle = "meta_title"
        case metaDescription = "meta_description"
        case featuredImageURL = "featured_image_url"
        case viewCount = "view_count"
        case publishedAt = "published_at"
    }
}

public struct FAQ: Sendable, Codable, Equatable {
    public var id: UUID
    public var categoryID: UUID?
    public var question: String
    public var answer: String
    public var sortOrder: Int
    public var isFeatured: Bool
    public var viewCount: Int
    public var tags: [String]
    public var language: String

    enum CodingKeys: String, CodingKey {
        case id, question, answer, tags, language
        case categoryID = "category_id"
        case sortOrder = "sort_order"
        case isFeatured = "is_featured"
        case viewCount = "view_count"
    }
}
