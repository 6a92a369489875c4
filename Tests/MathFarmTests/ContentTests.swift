import AdminService
import ContentService
import Foundation
import HTTPTypes
import HummingbirdTesting
import Hummingbird
import MathFarmCore
import MathFarmHTTP
import ServiceLifecycle
import Testing

/// Content over HTTP: the demo guides and FAQs in both languages with fallback, ETag 304,
/// drafts hidden, the category tree refusing cycles, batched view counts, and `content.write`.
@Suite("Content", .serialized)
struct ContentTests {
    /// The router and pools without the API's background work, whose 5 s view-count flush would
    /// otherwise change pages (and their ETags) in the middle of a test on a loaded machine.
    func withQuietAPI(_ body: @escaping @Sendable (any TestClientProtocol, MathFarmServices) async throws -> Void) async throws {
        let services = try await TestStack.make().makeServices()
        let app = Application(router: MathFarmApplication.router(services: services), services: [services.pools], logger: services.logger)
        try await app.test(.router) { client in try await body(client, services) }
    }

    @Test func demoContentInBothLanguagesWithFallbackAndETags() async throws {
        try await withQuietAPI { client, services in
            try await DemoContent.install(into: services.contentStore)
            try await DemoContent.install(into: services.contentStore)  // idempotent
            let vi = try await client.send(.get, "/api/v1/content/pages/huong-dan-dao-ham?lang=vi")
            #expect(vi.status == 200 && vi.string("title") == "Đạo hàm" && vi.string("language") == "vi")
            let en = try await client.send(.get, "/api/v1/content/pages/huong-dan-dao-ham?lang=en")
            #expect(en.string("title") == "Derivatives" && en.string("language") == "en")
            var headers = HTTPFields()
            headers[.acceptLanguage] = "en-US,en;q=0.9"
            let byHeader = try await client.send(.get, "/api/v1/content/pages/huong-dan-dao-ham", headers: headers)
            #expect(byHeader.string("title") == "Derivatives")
            // ETag round trip.
            let tag = try #require(en.headers[.eTag])
            var conditional = HTTPFields()
            conditional[.ifNoneMatch] = tag
            #expect(try await client.send(.get, "/api/v1/content/pages/huong-dan-dao-ham?lang=en", headers: conditional).status == 304)
            #expect(try await client.send(.get, "/api/v1/content/pages/huong-dan-dao-ham?lang=vi", headers: conditional).status == 200)
            // The tree, and the FAQs filtered by category, featured flag and tag.
            let tree = try await client.send(.get, "/api/v1/content/categories?lang=en")
            let names = (tree.json["categories"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
            #expect(Set(names) == ["Guides", "Help"])
            let guides = try await client.send(.get, "/api/v1/content/categories/huong-dan/pages")
            #expect((guides.json["pages"] as? [[String: Any]])?.count == 3)
            let refunds = try await client.send(.get, "/api/v1/content/faqs?tag=refund&lang=en")
            #expect((refunds.json["faqs"] as? [[String: Any]])?.compactMap { $0["question"] as? String } == ["When do I get a refund?"])
            let featured = try await client.send(.get, "/api/v1/content/faqs?featured=true&category=hoi-dap")
            #expect((featured.json["faqs"] as? [[String: Any]])?.count == 1)
            // A page with a translated title only: the body falls back to the original.
            let page = try #require(try await services.contentStore.pageID(slug: "huong-dan-dao-ham"))
            #expect(try await services.contentStore.page(id: page)?.viewCount == 0)
            try await services.contentViews.flush()
            #expect(try await services.contentStore.page(id: page)?.viewCount == 5)  // 5 reads above, one UPDATE
        }
    }

    @Test func viewCountsSurviveAFailedWriteAndAreFlushedAtShutdown() async throws {
        try await TestStack.withRunning { services in
            try await DemoContent.install(into: services.contentStore)
            let page = try #require(try await services.contentStore.pageID(slug: "huong-dan-dao-ham"))
            // A write that fails keeps its counts: here the counter's database has no pages table yet.
            let counter = ViewCounter(database: services.pools[.user])
            for _ in 0..<3 { await counter.countPage(page) }
            await #expect(throws: (any Error).self) { try await counter.flush() }
            try await services.pools[.user].query("CREATE TABLE pages (id uuid PRIMARY KEY, view_count int8 NOT NULL DEFAULT 0)")
            try await services.pools[.user].query("INSERT INTO pages (id) VALUES (\(page))")
            await counter.countPage(page)
            #expect(try await counter.flush() == 1)
            let rows = try await services.pools[.user].query("SELECT view_count FROM pages WHERE id = \(page)").collectRows()
            #expect(try rows.first?.decode(Int64.self) == 4)

            // Views counted after the last periodic flush are written when the service shuts down.
            let flusher = PeriodicService(name: "views", interval: .seconds(3600), runsAtShutdown: true, logger: services.logger) {
                try await services.contentViews.flush()
            }
            let group = ServiceGroup(configuration: .init(services: [flusher], logger: services.logger))
            let running = Task { try await group.run() }
            try await Task.sleep(for: .milliseconds(200))  // past the first (empty) run
            for _ in 0..<7 { await services.contentViews.countPage(page) }
            await group.triggerGracefulShutdown()
            try await running.value
            #expect(try await services.contentStore.page(id: page)?.viewCount == 7)
        }
    }

    @Test func staffManageContentWithPermissionAndTheTreeRefusesCycles() async throws {
        try await withAPI { client, services in
            try await makeStaff(services, username: "editor", permissions: [.contentWrite])
            try await makeStaff(services, username: "reader", permissions: [.usersRead])
            let editor = try await staffToken(client, "editor")
            let reader = try await staffToken(client, "reader")
            #expect(try await client.send(.post, "/api/v1/admin/content/categories", json: #"{"name":"Toán","slug":"toan"}"#, token: reader).status == 403)
            let root = try #require(try await client.send(.post, "/api/v1/admin/content/categories", json: #"{"name":"Toán","slug":"toan"}"#, token: editor).string("id"))
            let child = try #require(try await client.send(.post, "/api/v1/admin/content/categories", json: #"{"name":"Đại số","slug":"dai-so","parent_id":"\#(root)"}"#, token: editor).string("id"))
            let grandchild = try #require(try await client.send(.post, "/api/v1/admin/content/categories", json: #"{"name":"Phương trình","slug":"phuong-trinh","parent_id":"\#(child)"}"#, token: editor).string("id"))
            let cycle = try await client.send(.put, "/api/v1/admin/content/categories/\(root)", json: #"{"name":"Toán","slug":"toan","parent_id":"\#(grandchild)"}"#, token: editor)
            #expect(cycle.status == 422 && cycle.errorCode == "category_cycle")
            let duplicate = try await client.send(.post, "/api/v1/admin/content/categories", json: #"{"name":"X","slug":"toan"}"#, token: editor)
            #expect(duplicate.status == 409 && duplicate.errorCode == "slug_taken")
            #expect(try await client.send(.post, "/api/v1/admin/content/categories", json: #"{"name":"X","slug":"Bad Slug"}"#, token: editor).status == 422)

            // A draft is invisible until published; the life cycle is enforced.
            let created = try await client.send(.post, "/api/v1/admin/content/pages", json: #"{"title":"Giới hạn","slug":"gioi-han","content":"Nội dung","category_id":"\#(child)"}"#, token: editor)
            let page = try #require(created.string("id"))
            #expect(try await client.send(.get, "/api/v1/content/pages/gioi-han").status == 404)
            #expect(try await client.send(.post, "/api/v1/admin/content/pages/\(page)/archive", token: editor).status == 409)
            let published = try await client.send(.post, "/api/v1/admin/content/pages/\(page)/publish", token: editor)
            #expect(published.status == 200 && published.string("status") == "published" && published.string("published_at") != nil)
            #expect(try await client.send(.get, "/api/v1/content/pages/gioi-han").status == 200)
            #expect(try await client.send(.put, "/api/v1/admin/content/translations", json: #"{"entity_type":"page","entity_id":"\#(page)","language":"en","field":"title","text":"Limits"}"#, token: editor).status == 204)
            let english = try await client.send(.get, "/api/v1/content/pages/gioi-han?lang=en")
            #expect(english.string("title") == "Limits" && english.string("content") == "Nội dung" && english.string("language") == "vi")
            #expect(try await client.send(.post, "/api/v1/admin/content/pages/\(page)/archive", token: editor).status == 200)
            #expect(try await client.send(.get, "/api/v1/content/pages/gioi-han").status == 404)
            #expect(try await services.auditLog.count(entity: .page, entityID: UUID(uuidString: page), action: .update) == 2)  // publish, archive (the refused archive is not a change)

            // FAQs and categories: update, delete; a category still in use is kept.
            let faq = try #require(try await client.send(.post, "/api/v1/admin/content/faqs", json: #"{"question":"Hỏi?","answer":"Đáp.","category_id":"\#(child)","tags":["x"]}"#, token: editor).string("id"))
            #expect(try await client.send(.put, "/api/v1/admin/content/faqs/\(faq)", json: #"{"question":"Hỏi lại?","answer":"Đáp lại.","tags":["y"],"is_featured":true}"#, token: editor).status == 200)
            #expect((try await client.send(.get, "/api/v1/content/faqs?tag=y").json["faqs"] as? [[String: Any]])?.first?["question"] as? String == "Hỏi lại?")
            #expect(try await client.send(.delete, "/api/v1/admin/content/categories/\(child)", token: editor).errorCode == "category_in_use")
            #expect(try await client.send(.delete, "/api/v1/admin/content/faqs/\(faq)", token: editor).status == 204)
            #expect(try await client.send(.delete, "/api/v1/admin/content/pages/\(page)", token: editor).status == 204)
            #expect(try await client.send(.delete, "/api/v1/admin/content/categories/\(grandchild)", token: editor).status == 204)
            #expect(try await client.send(.delete, "/api/v1/admin/content/categories/\(child)", token: editor).status == 204)
            let entries = try await services.auditLog.search(.init(entity: "category", entityID: UUID(uuidString: child)), limit: 10, offset: 0)
            #expect(entries.items.allSatisfy { $0.executionTimeMs != nil && $0.staffID != nil })
        }
    }
}
