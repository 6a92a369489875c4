import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MathFarmCore
import MathFarmHTTP
import Testing

/// Issue 12 §6 and §7: headers on every response, `/metrics` not public in production, the
/// reconciler's view of deposits opened before any wallet, and the served OpenAPI contract.
@Suite("HTTP hygiene and the API contract")
struct HTTPHygieneTests {
    @Test func securityHeadersOnEveryResponse() async throws {
        try await withAPI(["MATHFARM_PUBLIC_URL": "https://mathfarm.example.vn"]) { client, _ in
            let registered = try await client.send(.post, "/api/v1/auth/register", json: registerBody(email: "h@example.vn"))
            let token = try #require(registered.string("access_token"))
            let responses = [
                try await client.send(.get, "/healthz"),
                try await client.send(.get, "/api/v1/nowhere"),
                try await client.send(.post, "/api/v1/auth/login", json: "{"),
                try await client.send(.get, "/api/v1/me/balance", token: token),
                try await client.send(.get, "/api/v1/content/categories"),
            ]
            for response in responses {
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
                #expect(response.headers[.strictTransportSecurity]?.hasPrefix("max-age=") == true)
            }
            #expect(responses[3].headers[.cacheControl] == "no-store")
            #expect(responses[1].headers[.cacheControl] == "no-store")
            // Public content keeps its own caching (ETags).
            #expect(responses[4].headers[.cacheControl]?.contains("no-store") == false)
            #expect(registered.headers[.cacheControl] == "no-store")
        }
        // Plain http: no HSTS.
        try await withAPI { client, _ in
            let plain = try await client.send(.get, "/healthz")
            #expect(plain.headers[.strictTransportSecurity] == nil)
        }
    }

    @Test func metricsAreNotPublicInProduction() async throws {
        let production = ["MATHFARM_ENV": "production", "MATHFARM_JWT_SECRET": randomSecret(), "MATHFARM_SETTINGS_KEY": randomSettingsKey()]
        try await withAPI(production) { client, _ in
            let hidden = try await client.send(.get, "/metrics")
            #expect(hidden.status == 404)
        }
        let token = randomSecret()
        try await withAPI(production.merging(["MATHFARM_METRICS_TOKEN": token]) { $1 }) { client, _ in
            #expect(try await client.send(.get, "/metrics").status == 401)
            #expect(try await client.send(.get, "/metrics", token: "wrong").status == 401)
            let scraped = try await client.send(.get, "/metrics", token: token)
            #expect(scraped.status == 200 && String(decoding: scraped.body, as: UTF8.self).contains("mathfarm_open_holds"))
        }
        try await withAPI { client, _ in
            let open = try await client.send(.get, "/metrics")
            #expect(open.status == 200)  // development
        }
    }

    /// `reconcile --check` reported a violation (and exited 1) on a healthy system for a customer
    /// who opened a deposit before any wallet existed.
    @Test func aDepositBeforeAnyWalletIsNotAViolation() async throws {
        try await withPipeline { pipeline in
            let (user, token) = try await pipeline.customer(balance: 0)
            let opened = try await pipeline.client.send(.post, "/api/v1/deposits", json: #"{"method":"qr_code","amount":20000}"#, token: token)
            #expect(opened.status == 201)
            let wallets = try await pipeline.services.pools[.payment].query("SELECT count(*)::int8 FROM wallets WHERE user_id = \(user)").collectRows()
            #expect(try wallets.first?.decode(Int64.self) == 0)
            #expect(try await pipeline.violations() == [])
        }
    }

    @Test func refreshRaceOfTwoTabsDoesNotRevokeTheSession() async throws {
        try await withAPI { client, _ in
            let registered = try await client.send(.post, "/api/v1/auth/register", json: registerBody(email: "tabs@example.vn"))
            let refresh = try #require(registered.string("refresh_token"))
            let tab: HTTPFields = [.userAgent: "Mozilla/5.0 tab"]
            let first = try await client.send(.post, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(refresh)"}"#, headers: tab)
            #expect(first.status == 200)
            let second = try await client.send(.post, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(refresh)"}"#, headers: tab)
            #expect(second.status == 409 && second.errorCode == "refresh_token_superseded")
            // The session lives: the winner's tokens work.
            let access = try #require(first.string("access_token"))
            #expect(try await client.send(.get, "/api/v1/me", token: access).status == 200)
            let newRefresh = try #require(first.string("refresh_token"))
            #expect(try await client.send(.post, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(newRefresh)"}"#, headers: tab).status == 200)
            // Another client replaying the old token revokes the session, grace or not.
            let thief = try await client.send(.post, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(refresh)"}"#, headers: [.userAgent: "curl/8"])
            #expect(thief.status == 401 && thief.errorCode == "refresh_token_reused")
            #expect(try await client.send(.get, "/api/v1/me", token: access).status == 401)
        }
        // After the grace period the same client's reuse revokes too.
        try await withAPI(["MATHFARM_REFRESH_REUSE_GRACE": "0"]) { client, _ in
            let registered = try await client.send(.post, "/api/v1/auth/register", json: registerBody(email: "late@example.vn"))
            let refresh = try #require(registered.string("refresh_token"))
            #expect(try await client.send(.post, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(refresh)"}"#).status == 200)
            try await Task.sleep(for: .milliseconds(20))
            #expect(try await client.send(.post, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(refresh)"}"#).errorCode == "refresh_token_reused")
        }
    }

    @Test func publicPagesCarryNoStaffIDs() async throws {
        try await withAPI { client, services in
            try await makeStaff(services, username: "author", permissions: [.contentWrite])
            let staff = try await staffToken(client, "author")
            let created = try await client.send(.post, "/api/v1/admin/content/pages", json: #"{"title":"T","slug":"by-staff","content":"c"}"#, token: staff)
            let id = try #require(created.string("id"))
            #expect(try await client.send(.post, "/api/v1/admin/content/pages/\(id)/publish", token: staff).status == 200)
            let page = try await client.send(.get, "/api/v1/content/pages/by-staff")
            #expect(page.status == 200)
            #expect(page.json["author_id"] == nil)
            let rows = try await services.pools[.admin].query("SELECT id FROM admin_users WHERE username = 'author'").collectRows()
            let staffID = try #require(try rows.first?.decode(UUID.self)).uuidString.lowercased()
            #expect(!String(decoding: page.body, as: UTF8.self).lowercased().contains(staffID))
        }
    }

    /// Every JSON API route is in the document and every documented operation is a route; HTML
    /// pages (outside /api/v1 and the system paths) are not part of the contract.
    @Test func openAPIDocumentMatchesTheRouter() async throws {
        let stack = try await TestStack.make()
        let services = try await stack.makeServices()
        let router = MathFarmApplication.router(services: services)
        let contract = { (path: String) in
            path.hasPrefix("/api/v1/") || ["/healthz", "/readyz", "/metrics", "/openapi.json", "/openapi.yaml"].contains(path)
        }
        let routes = Set(router.routes.compactMap { route -> String? in
            let path = "/" + route.path.description.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
            return contract(path) && route.method != .head ? "\(route.method.rawValue) \(path)" : nil
        })
        let documented = Set(OpenAPIDocument.operationKeys)
        #expect(routes.subtracting(documented).sorted() == [], "routes missing from the document")
        #expect(documented.subtracting(routes).sorted() == [], "documented operations with no route")
        #expect(routes.count > 60)
    }

    @Test func openAPIIsServedAsJSONAndYAML() async throws {
        try await withAPI { client, _ in
            let json = try await client.send(.get, "/openapi.json")
            #expect(json.status == 200 && json.json["openapi"] as? String == "3.1.0")
            let paths = try #require(json.json["paths"] as? [String: Any])
            #expect(paths["/api/v1/solutions"] != nil && paths["/api/v1/admin/staff/{id}"] != nil)
            let schemas = try #require((json.json["components"] as? [String: Any])?["schemas"] as? [String: Any])
            let codes = try #require((schemas["ErrorCode"] as? [String: Any])?["enum"] as? [String])
            #expect(codes.contains("duplicate_key") && codes.contains("too_many_login_attempts"))
            let yaml = try await client.send(.get, "/openapi.yaml")
            #expect(yaml.status == 200 && yaml.headers[.contentType]?.hasPrefix("application/yaml") == true)
            let text = String(decoding: yaml.body, as: UTF8.self)
            #expect(text.contains(#""openapi": "3.1.0""#) && text.contains(#""/api/v1/solutions":"#))
        }
    }

    /// Every `code: "…"` in the sources is in the error catalogue the document publishes.
    @Test func everyErrorCodeIsCatalogued() throws {
        let pattern = try NSRegularExpression(pattern: #"code: "([a-z_]+)""#)
        let sources = TestStack.repositoryRoot.appendingPathComponent("Sources")
        var missing: Set<String> = []
        let enumerator = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "swift", let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                if let range = Range(match.range(at: 1), in: text), !ErrorCatalogue.allCodes.contains(String(text[range])) {
                    missing.insert("\(url.lastPathComponent): \(text[range])")
                }
            }
        }
        #expect(missing.sorted() == [])
    }
}
