import Foundation
import MathFarmCore
import PostgresNIO

/// Reads and writes of `content_service_db`. Public reads see published pages and active
/// categories only, in the requested language; staff writes validate slugs, the category tree
/// and the page life cycle (`draft → published → archived`, and back to draft from archived).
public struct ContentStore: Sendable {
    let database: Database
    public let translations: Translations

    public init(database: Database) {
        self.database = database
        self.translations = Translations(database: database)
    }

    static func validSlug(_ slug: String) -> Bool {
        (1...maxSlugLength).contains(slug.count) && slug.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
    }

    static func slugError(_ field: String) -> APIError {
        APIError.invalidField(field, vi: "Slug gồm chữ thường, số và '-', 1–100 ký tự.", en: "A slug is lowercase letters, digits and '-', 1 to 100 characters.")
    }

    // MARK: Categories

    /// The active category tree, children sorted by `sort_order`.
    public func categoryTree(language: Language) async throws -> [Category] {
        let rows = try await database.query("""
            SELECT id, category_name, category_slug, parent_id, description, COALESCE(sort_order, 0), COALESCE(is_active, true)
            FROM content_categories WHERE COALESCE(is_active, true) ORDER BY sort_order, category_name
            """)
        var flat: [Category] = []
        for try await (id, name, slug, parent, description, order, active) in rows.decode((UUID, String, String, UUID?, String?, Int, Bool).self) {
            flat.append(Category(id: id, name: name, slug: slug, parentID: parent, description: description, sortOrder: order, isActive: active, children: []))
        }
        let translated = try await translations.load(entityType: "category", ids: flat.map(\.id), language: language)
        for index in flat.indices {
            if let name = translated[flat[index].id]?["name"] { flat[index].name = name }
            if let description = translated[flat[index].id]?["description"] { flat[index].description = description }
        }
        func children(of parent: UUID?) -> [Category] {
            flat.filter { $0.parentID == parent }.map { node in
                var node = node
                node.children = children(of: node.id)
                return node
            }
        }
        return children(of: nil)
    }

    public struct CategoryInput: Sendable, Decodable {
        public var name: String
        public var slug: String
        public var parentID: UUID?
        public var description: String?
        public var sortOrder: Int?
        public var isActive: Bool?

        public init(name: String, slug: String, parentID: UUID? = nil, description: String? = nil, sortOrder: Int? = nil, isActive: Bool? = nil) {
            self.name = name
            self.slug = slug
            self.parentID = parentID
            self.description = description
            self.sortOrder = sortOrder
            self.isActive = isActive
        }

        enum CodingKeys: String, CodingKey {
            case name, slug, description
            case parentID = "parent_id"
            case sortOrder = "sort_order"
            case isActive = "is_active"
        }
    }

    public func createCategory(_ input: CategoryInput) async throws -> UUID {
        try validate(input)
        do {
            let rows = try await database.query("""
                INSERT INTO content_categories (category_name, category_slug, parent_id, description, sort_order, is_active)
                VALUES (\(input.name), \(input.slug), \(input.parentID), \(input.description), \(input.sortOrder ?? 0), \(input.isActive ?? true))
                RETURNING id
                """).collectRows()
            guard let row = rows.first else { throw APIError.internalError }
            return try row.decode(UUID.self)
        } catch let error as PSQLError {
            throw Self.translate(error, slugField: "slug")
        }
    }

    /// Moving a category under one of its own descendants (a cycle) is refused.
    public func updateCategory(_ id: UUID, _ input: CategoryInput) async throws {
        try validate(input)
        if let parent = input.parentID {
            let rows = try await database.query("""
                WITH RECURSIVE ancestors(id) AS (
                    SELECT \(parent)::uuid
                    UNION SELECT c.parent_id FROM content_categories c JOIN ancestors a ON c.id = a.id WHERE c.parent_id IS NOT NULL
                )
                SELECT count(*)::int8 FROM ancestors WHERE id = \(id)
                """).collectRows()
            if try rows.first?.decode(Int64.self) ?? 0 > 0 {
                throw APIError(.unprocessableContent, code: "category_cycle", vi: "Danh mục không thể nằm dưới chính nó hay con cháu của nó.", en: "A category cannot sit under itself or one of its descendants.", details: ["field": "parent_id"])
            }
        }
        do {
            let rows = try await database.query("""
                UPDATE content_categories SET category_name = \(input.name), category_slug = \(input.slug), parent_id = \(input.parentID),
                       description = \(input.description), sort_order = \(input.sortOrder ?? 0), is_active = \(input.isActive ?? true)
                WHERE id = \(id) RETURNING id
                """).collectRows()
            guard !rows.isEmpty else { throw APIError.notFound("category") }
        } catch let error as PSQLError {
            throw Self.translate(error, slugField: "slug")
        }
    }

    private func validate(_ input: CategoryInput) throws {
        try FieldRules.text(input.name, field: "name", range: 1...Self.maxCategoryNameLength)
        guard Self.validSlug(input.slug) else { throw Self.slugError("slug") }
        try FieldRules.optionalText(input.description, field: "description", max: Self.maxDescriptionLength)
        try FieldRules.integer(input.sortOrder, field: "sort_order", range: Self.sortOrderRange)
    }

    static func translate(_ error: PSQLError, slugField: String) -> Error {
        switch error.sqlState {
        case SQLState.uniqueViolation:
            return APIError(.conflict, code: "slug_taken", vi: "Slug đã được dùng.", en: "This slug is already used.", details: ["field": slugField])
        case "23503":
            return APIError(.unprocessableContent, code: "unknown_reference", vi: "Danh mục cha hoặc danh mục không tồn tại.", en: "The parent or category does not exist.", details: ["field": "parent_id"])
        default:
            return error
        }
    }

    public func categoryID(slug: String) async throws -> UUID? {
        let rows = try await database.query("SELECT id FROM content_categories WHERE category_slug = \(slug) AND COALESCE(is_active, true)").collectRows()
        return try rows.first?.decode(UUID.self)
    }

    // MARK: Pages

    static let pageColumns = """
        id, category_id, title, slug, content, excerpt, status::text, meta_title, meta_description, featured_image_url,
        COALESCE(view_count, 0), author_id, published_at
        """

    static func decodePage(_ row: PostgresRow) throws -> Page {
        let (id, category, title, slug, content, excerpt, status, metaTitle, metaDescription, image, views, author, published) =
            try row.decode((UUID, UUID?, String, String, String, String?, String, String?, String?, String?, Int, UUID?, Date?).self)
        return Page(
            id: id, categoryID: category, title: title, slug: slug, content: content, excerpt: excerpt, status: PageStatus(rawValue: status) ?? .draft,
            metaTitle: metaTitle, metaDescription: metaDescription, featuredImageURL: image, viewCount: views, authorID: author, publishedAt: published,
            language: ContentService.originalLanguage.rawValue
        )
    }

    private func translated(_ pages: [Page], _ language: Language) async throws -> [Page] {
        let texts = try await translations.load(entityType: "page", ids: pages.map(\.id), language: language)
        return pages.map { page in
            guard let fields = texts[page.id], !fields.isEmpty else { return page }
            var page = page
            page.title = fields["title"] ?? page.title
            page.content = fields["content"] ?? page.content
            page.excerpt = fields["excerpt"] ?? page.excerpt
            page.metaTitle = fields["meta_title"] ?? page.metaTitle
            page.metaDescription = fields["meta_description"] ?? page.metaDescription
            // The language the body is actually in: a page without a translated body falls back.
            page.language = fields["content"] != nil ? language.rawValue : page.language
            return page
        }
    }

    public func publishedPage(slug: String, language: Language) async throws -> Page? {
        let rows = try await database.query("SELECT \(unescaped: Self.pageColumns) FROM pages WHERE slug = \(slug) AND status = 'published'").collectRows()
        guard let row = rows.first else { return nil }
        return try await translated([try Self.decodePage(row)], language).first
    }

    public func publishedPages(categoryID: UUID, language: Language, limit: Int, offset: Int) async throws -> [Page] {
        let rows = try await database.query("""
            SELECT \(unescaped: Self.pageColumns) FROM pages WHERE category_id = \(categoryID) AND status = 'published'
            ORDER BY published_at DESC, title LIMIT \(limit) OFFSET \(offset)
            """).collectRows()
        return try await translated(try rows.map(Self.decodePage), language)
    }

    public struct PageInput: Sendable, Decodable {
        public var categoryID: UUID?
        public var title: String
        public var slug: String
        public var content: String
        public var excerpt: String?
        public var metaTitle: String?
        public var metaDescription: String?
        public var featuredImageURL: String?

        public init(categoryID: UUID?, title: String, slug: String, content: String, excerpt: String? = nil, metaTitle: String? = nil, metaDescription: String? = nil, featuredImageURL: String? = nil) {
            self.categoryID = categoryID
            self.title = title
            self.slug = slug
            self.content = content
            self.excerpt = excerpt
            self.metaTitle = metaTitle
            self.metaDescription = metaDescription
            self.featuredImageURL = featuredImageURL
        }

        enum CodingKeys: String, CodingKey {
            case title, slug, content, excerpt
            case categoryID = "category_id"
            case metaTitle = "meta_title"
            case metaDescription = "meta_description"
            case featuredImageURL = "featured_image_url"
        }
    }

    /// Limits of the content fields (README "Limits", the OpenAPI document). Lengths count
    /// Unicode scalars (`FieldRules`); the VARCHAR columns fix the 100 and 255.
    public static let maxContentLength = 200_000
    public static let maxCategoryNameLength = 100
    public static let maxSlugLength = 100
    public static let maxTitleLength = 255
    public static let maxMetaTitleLength = 255
    public static let maxMetaDescriptionLength = 1_000
    public static let maxExcerptLength = 2_000
    public static let maxDescriptionLength = 2_000
    public static let maxQuestionLength = 2_000
    public static let maxAnswerLength = 20_000
    public static let maxTags = 20
    public static let maxTagLength = 50
    /// `sort_order` is an INTEGER column; the documented range is well inside it.
    public static let sortOrderRange = -1_000_000...1_000_000
    /// Admin content bodies carry a page of up to 200,000 characters: up to 4 bytes each in
    /// UTF-8, 6 when escaped as `\uXXXX`, plus the other fields.
    public static let maxBodyBytes = 1_280 * 1024

    public func createPage(_ input: PageInput, authorID: UUID?) async throws -> UUID {
        try validate(input)
        do {
            let rows = try await database.query("""
                INSERT INTO pages (category_id, title, slug, content, excerpt, meta_title, meta_description, featured_image_url, author_id)
                VALUES (\(input.categoryID), \(input.title), \(input.slug), \(input.content), \(input.excerpt), \(input.metaTitle),
                        \(input.metaDescription), \(input.featuredImageURL), \(authorID))
                RETURNING id
                """).collectRows()
            guard let row = rows.first else { throw APIError.internalError }
            return try row.decode(UUID.self)
        } catch let error as PSQLError {
            throw Self.translate(error, slugField: "slug")
        }
    }

    public func updatePage(_ id: UUID, _ input: PageInput) async throws {
        try validate(input)
        do {
            let rows = try await database.query("""
                UPDATE pages SET category_id = \(input.categoryID), title = \(input.title), slug = \(input.slug), content = \(input.content),
                       excerpt = \(input.excerpt), meta_title = \(input.metaTitle), meta_description = \(input.metaDescription),
                       featured_image_url = \(input.featuredImageURL)
                WHERE id = \(id) RETURNING id
                """).collectRows()
            guard !rows.isEmpty else { throw APIError.notFound("page") }
        } catch let error as PSQLError {
            throw Self.translate(error, slugField: "slug")
        }
    }

    private func validate(_ input: PageInput) throws {
        try FieldRules.text(input.title, field: "title", range: 1...Self.maxTitleLength)
        guard Self.validSlug(input.slug) else { throw Self.slugError("slug") }
        try FieldRules.text(input.content, field: "content", range: 1...Self.maxContentLength)
        try FieldRules.optionalText(input.excerpt, field: "excerpt", max: Self.maxExcerptLength)
        try FieldRules.optionalText(input.metaTitle, field: "meta_title", max: Self.maxMetaTitleLength)
        try FieldRules.optionalText(input.metaDescription, field: "meta_description", max: Self.maxMetaDescriptionLength)
        try FieldRules.webURL(input.featuredImageURL, field: "featured_image_url")
    }

    /// Moves a page through its life cycle: draft → published → archived → draft. Publishing
    /// sets `published_at` the first time.
    public func setStatus(_ id: UUID, to target: PageStatus) async throws -> Page {
        let allowedFrom: String
        switch target {
        case .published: allowedFrom = "draft"
        case .archived: allowedFrom = "published"
        case .draft: allowedFrom = "archived"
        }
        let rows = try await database.query("""
            UPDATE pages SET status = \(target.rawValue)::page_status,
                   published_at = CASE WHEN \(target.rawValue) = 'published' THEN COALESCE(published_at, now()) ELSE published_at END
            WHERE id = \(id) AND status = \(allowedFrom)::page_status
            RETURNING \(unescaped: Self.pageColumns)
            """).collectRows()
        guard let row = rows.first else {
            let exists = try await database.query("SELECT status::text FROM pages WHERE id = \(id)").collectRows()
            guard let current = try exists.first?.decode(String.self) else { throw APIError.notFound("page") }
            throw APIError(.conflict, code: "invalid_transition", vi: "Không thể chuyển trang từ \(current) sang \(target.rawValue).", en: "A \(current) page cannot become \(target.rawValue).")
        }
        return try Self.decodePage(row)
    }

    public func page(id: UUID) async throws -> Page? {
        let rows = try await database.query("SELECT \(unescaped: Self.pageColumns) FROM pages WHERE id = \(id)").collectRows()
        return try rows.first.map(Self.decodePage)
    }

    public func pageID(slug: String) async throws -> UUID? {
        let rows = try await database.query("SELECT id FROM pages WHERE slug = \(slug)").collectRows()
        return try rows.first?.decode(UUID.self)
    }

    public func faqID(question: String) async throws -> UUID? {
        let rows = try await database.query("SELECT id FROM faqs WHERE question = \(question) LIMIT 1").collectRows()
        return try rows.first?.decode(UUID.self)
    }

    public func deletePage(_ id: UUID) async throws {
        try await database.query("DELETE FROM translations WHERE entity_type = 'page' AND entity_id = \(id)")
        let rows = try await database.query("DELETE FROM pages WHERE id = \(id) RETURNING id").collectRows()
        guard !rows.isEmpty else { throw APIError.notFound("page") }
    }

    // MARK: FAQs

    public func faqs(categoryID: UUID?, featured: Bool?, tag: String?, language: Language, limit: Int, offset: Int) async throws -> [FAQ] {
        let rows = try await database.query("""
            SELECT id, category_id, question, answer, COALESCE(sort_order, 0), COALESCE(is_featured, false), COALESCE(view_count, 0), COALESCE(tags, '[]')::text
            FROM faqs
            WHERE (\(categoryID)::uuid IS NULL OR category_id = \(categoryID))
              AND (\(featured)::bool IS NULL OR is_featured = \(featured))
              AND (\(tag)::text IS NULL OR tags ? \(tag))
            ORDER BY sort_order, question LIMIT \(limit) OFFSET \(offset)
            """)
        var items: [FAQ] = []
        for try await (id, category, question, answer, order, featured, views, tags) in rows.decode((UUID, UUID?, String, String, Int, Bool, Int, String).self) {
            let tagList = (try? JSONDecoder().decode([String].self, from: Data(tags.utf8))) ?? []
            items.append(FAQ(id: id, categoryID: category, question: question, answer: answer, sortOrder: order, isFeatured: featured, viewCount: views, tags: tagList, language: ContentService.originalLanguage.rawValue))
        }
        let texts = try await translations.load(entityType: "faq", ids: items.map(\.id), language: language)
        return items.map { item in
            guard let fields = texts[item.id] else { return item }
            var item = item
            item.question = fields["question"] ?? item.question
            item.answer = fields["answer"] ?? item.answer
            item.language = fields["answer"] != nil ? language.rawValue : item.language
            return item
        }
    }

    public struct FAQInput: Sendable, Decodable {
        public var categoryID: UUID?
        public var question: String
        public var answer: String
        public var sortOrder: Int?
        public var isFeatured: Bool?
        public var tags: [String]?

        public init(categoryID: UUID?, question: String, answer: String, sortOrder: Int? = nil, isFeatured: Bool? = nil, tags: [String]? = nil) {
            self.categoryID = categoryID
            self.question = question
            self.answer = answer
            self.sortOrder = sortOrder
            self.isFeatured = isFeatured
            self.tags = tags
        }

        enum CodingKeys: String, CodingKey {
            case question, answer, tags
            case categoryID = "category_id"
            case sortOrder = "sort_order"
            case isFeatured = "is_featured"
        }
    }

    private func validate(_ input: FAQInput) throws -> String {
        try FieldRules.text(input.question, field: "question", range: 1...Self.maxQuestionLength)
        try FieldRules.text(input.answer, field: "answer", range: 1...Self.maxAnswerLength)
        try FieldRules.integer(input.sortOrder, field: "sort_order", range: Self.sortOrderRange)
        let tags = input.tags ?? []
        guard tags.count <= Self.maxTags, tags.allSatisfy({ (1...Self.maxTagLength).contains(FieldRules.length($0)) }), Set(tags).count == tags.count else {
            throw APIError.invalidField("tags", vi: "Tối đa 20 thẻ khác nhau, mỗi thẻ 1–50 ký tự.", en: "At most 20 distinct tags of 1 to 50 characters.")
        }
        return String(decoding: try JSONEncoder().encode(input.tags ?? []), as: UTF8.self)
    }

    public func updateFAQ(_ id: UUID, _ input: FAQInput) async throws {
        let tags = try validate(input)
        do {
            let rows = try await database.query("""
                UPDATE faqs SET category_id = \(input.categoryID), question = \(input.question), answer = \(input.answer),
                       sort_order = \(input.sortOrder ?? 0), is_featured = \(input.isFeatured ?? false), tags = \(tags)::jsonb
                WHERE id = \(id) RETURNING id
                """).collectRows()
            guard !rows.isEmpty else { throw APIError.notFound("faq") }
        } catch let error as PSQLError {
            throw Self.translate(error, slugField: "category_id")
        }
    }

    public func deleteFAQ(_ id: UUID) async throws {
        try await database.query("DELETE FROM translations WHERE entity_type = 'faq' AND entity_id = \(id)")
        let rows = try await database.query("DELETE FROM faqs WHERE id = \(id) RETURNING id").collectRows()
        guard !rows.isEmpty else { throw APIError.notFound("faq") }
    }

    /// Only an empty category (no children, pages or FAQs) can be deleted; otherwise 409.
    public func deleteCategory(_ id: UUID) async throws {
        let used = try await database.query("""
            SELECT (SELECT count(*) FROM content_categories WHERE parent_id = \(id)) + (SELECT count(*) FROM pages WHERE category_id = \(id))
                 + (SELECT count(*) FROM faqs WHERE category_id = \(id))
            """).collectRows()
        if try used.first?.decode(Int64.self) ?? 0 > 0 {
            throw APIError(.conflict, code: "category_in_use", vi: "Danh mục còn danh mục con, trang hoặc câu hỏi.", en: "The category still has subcategories, pages or FAQs.")
        }
        try await database.query("DELETE FROM translations WHERE entity_type = 'category' AND entity_id = \(id)")
        let rows = try await database.query("DELETE FROM content_categories WHERE id = \(id) RETURNING id").collectRows()
        guard !rows.isEmpty else { throw APIError.notFound("category") }
    }

    public func createFAQ(_ input: FAQInput) async throws -> UUID {
        let tags = try validate(input)
        do {
            let rows = try await database.query("""
                INSERT INTO faqs (category_id, question, answer, sort_order, is_featured, tags)
                VALUES (\(input.categoryID), \(input.question), \(input.answer), \(input.sortOrder ?? 0), \(input.isFeatured ?? false), \(tags)::jsonb)
                RETURNING id
                """).collectRows()
            guard let row = rows.first else { throw APIError.internalError }
            return try row.decode(UUID.self)
        } catch let error as PSQLError {
            throw Self.translate(error, slugField: "category_id")
        }
    }
}
