import ContentService
import Foundation
import Hummingbird
import MathFarmCore

/// Staff content management under `/api/v1/admin/content`, permission `content.write`, through
/// the content service's Swift API; every change is audited.
public struct AdminContentRoutes: Sendable {
    let content: ContentStore
    let actions: StaffActions

    public init(staff: StaffAccounts, audit: AuditLog, content: ContentStore, trustProxy: Bool) {
        self.content = content
        self.actions = StaffActions(staff: staff, audit: audit, trustProxy: trustProxy)
    }

    struct Created: Encodable { let id: UUID }

    struct TranslationBody: Decodable {
        let entityType: String
        let entityID: UUID
        let language: Language
        let field: String
        let text: String

        enum CodingKeys: String, CodingKey {
            case language, field, text
            case entityType = "entity_type"
            case entityID = "entity_id"
        }
    }

    /// What can be translated, and the limit of each field (the same as the original's).
    static let translatableFields: [String: [String: Int]] = [
        "page": [
            "title": ContentStore.maxTitleLength, "content": ContentStore.maxContentLength, "excerpt": ContentStore.maxExcerptLength,
            "meta_title": ContentStore.maxMetaTitleLength, "meta_description": ContentStore.maxMetaDescriptionLength,
        ],
        "faq": ["question": ContentStore.maxQuestionLength, "answer": ContentStore.maxAnswerLength],
        "category": ["name": ContentStore.maxCategoryNameLength, "description": ContentStore.maxDescriptionLength],
    ]
    static let bodyLimit = ContentStore.maxBodyBytes

    public func register(on api: RouterGroup<AppRequestContext>) {
        api.post("admin/content/categories") { request, context in
            let principal = try await actions.authorize(request, .contentWrite)
            let id = try await content.createCategory(try await JSONBody.decode(ContentStore.CategoryInput.self, from: request))
            try await actions.record(principal, .create, .category, id, request, context)
            return try JSONBody.response(Created(id: id), status: .created)
        }
        api.put("admin/content/categories/:id") { request, context in
            let principal = try await actions.authorize(request, .contentWrite)
            let id = try StaffActions.id(context, "content")
            try await content.updateCategory(id, try await JSONBody.decode(ContentStore.CategoryInput.self, from: request))
            try await actions.record(principal, .update, .category, id, request, context)
            return try JSONBody.response(Created(id: id))
        }
        api.post("admin/content/pages") { request, context in
            let principal = try await actions.authorize(request, .contentWrite)
            let id = try await content.createPage(try await JSONBody.decode(ContentStore.PageInput.self, from: request, limit: Self.bodyLimit), authorID: principal.id)
            try await actions.record(principal, .create, .page, id, request, context)
            return try JSONBody.response(Created(id: id), status: .created)
        }
        api.put("admin/content/pages/:id") { request, context in
            let principal = try await actions.authorize(request, .contentWrite)
            let id = try StaffActions.id(context, "content")
            try await content.updatePage(id, try await JSONBody.decode(ContentStore.PageInput.self, from: request, limit: Self.bodyLimit))
            try await actions.record(principal, .update, .page, id, request, context)
            return try JSONBody.response(Created(id: id))
        }
        for (action, target) in [("publish", PageStatus.published), ("archive", .archived), ("unarchive", .draft)] {
            api.post("admin/content/pages/:id/\(action)") { request, context in
                let principal = try await actions.authorize(request, .contentWrite)
                let id = try StaffActions.id(context, "content")
                let page = try await content.setStatus(id, to: target)
                try await actions.record(principal, .update, .page, id, request, context, new: ["status": target.rawValue])
                return try JSONBody.response(page)
            }
        }
        api.delete("admin/content/pages/:id") { request, context in
            let principal = try await actions.authorize(request, .contentWrite)
            let id = try StaffActions.id(context, "content")
            try await content.deletePage(id)
            try await actions.record(principal, .delete, .page, id, request, context)
            return Response(status: .noContent)
        }
        api.post("admin/content/faqs") { request, context in
            let principal = try await actions.authorize(request, .contentWrite)
            let id = try await content.createFAQ(try await JSONBody.decode(ContentStore.FAQInput.self, from: request))
            try await actions.record(principal, .create, .faq, id, request, context)
            return try JSONBody.response(Created(id: id), status: .created)
        }
        api.put("admin/content/faqs/:id") { request, context in
            let principal = try await actions.authorize(request, .contentWrite)
            let id = try StaffActions.id(context, "content")
            try await content.updateFAQ(id, try await JSONBody.decode(ContentStore.FAQInput.self, from: request))
            try await actions.record(principal, .update, .faq, id, request, context)
            return try JSONBody.response(Created(id: id))
        }
        api.delete("admin/content/faqs/:id") { request, context in
            let principal = try await actions.authorize(request, .contentWrite)
            let id = try StaffActions.id(context, "content")
            try await content.deleteFAQ(id)
            try await actions.record(principal, .delete, .faq, id, request, context)
            return Response(status: .noContent)
        }
        api.delete("admin/content/categories/:id") { request, context in
            let principal = try await actions.authorize(request, .contentWrite)
            let id = try StaffActions.id(context, "content")
            try await content.deleteCategory(id)
            try await actions.record(principal, .delete, .category, id, request, context)
            return Response(status: .noContent)
        }
        api.put("admin/content/translations") { request, context in
            let principal = try await actions.authorize(request, .contentWrite)
            let body = try await JSONBody.decode(TranslationBody.self, from: request, limit: Self.bodyLimit)
            guard let fields = Self.translatableFields[body.entityType] else {
                throw APIError.invalidField("entity_type", vi: "entity_type là page, faq hoặc category.", en: "entity_type is page, faq or category.")
            }
            guard let limit = fields[body.field] else {
                throw APIError.invalidField("field", vi: "Trường không dịch được.", en: "Not a translatable field of this entity.")
            }
            try FieldRules.text(body.text, field: "text", range: 1...limit)
            try await content.translations.upsert(entityType: body.entityType, entityID: body.entityID, language: body.language, field: body.field, text: body.text, translatorID: principal.id)
            try await actions.record(principal, .update, .translation, body.entityID, request, context, new: ["language": body.language.rawValue, "field": body.field])
            return Response(status: .noContent)
        }
    }
}
