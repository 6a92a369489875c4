import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MathFarmCore
import MathFarmHTTP
import NIOCore
import Testing

/// Issue 12 §3: hostile input is a 4xx with a code, never a crash, a 500, or money moving.
@Suite("Hostile input")
struct HostileInputTests {
    @Test func strictJSONRefusesWhatLenientParsersLetThrough() throws {
        func parse(_ text: String) throws -> StrictJSON { try StrictJSON.parse(Array(text.utf8)) }
        #expect(throws: StrictJSON.ParseError.duplicateKey(path: "a")) { try parse(#"{"a": 1, "a": 2}"#) }
        // The same key spelled with an escape is the same key.
        #expect(throws: StrictJSON.ParseError.duplicateKey(path: "input.a")) { try parse(#"{"input": {"a": 1, "\u0061": 2}}"#) }
        #expect(throws: StrictJSON.ParseError.nulCharacter(path: "name")) { try parse(#"{"name": "x\u0000y"}"#) }
        #expect(throws: StrictJSON.ParseError.nulCharacter(path: "list[1]")) { try parse(#"{"list": ["a", "\u0000"]}"#) }
        #expect(throws: StrictJSON.ParseError.invalidEncoding) { try StrictJSON.parse([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D]) }
        #expect(throws: StrictJSON.ParseError.invalidEncoding) { try parse(#"{"a": "\ud800"}"#) }
        #expect(throws: StrictJSON.ParseError.tooDeep) { try parse(String(repeating: "[", count: 200) + String(repeating: "]", count: 200)) }
        #expect(try parse(#"{"a": "Nguyễn \ud83d\ude00", "n": -1.5e3}"#) == .object([("a", .string("Nguyễn 😀")), ("n", .number("-1.5e3"))]))
        for broken in ["", "{", #"{"a" 1}"#, "[1,]", "01", "1 2", #"{"a": tru}"#, "\"\t\""] {
            #expect(throws: StrictJSON.ParseError.self) { try parse(broken) }
        }
    }

    @Test func strictDecoderChecksRangesAndUndeclaredMembers() throws {
        struct Body: Decodable { let count: Int32; let name: String?; let tags: [String]? }
        func decode(_ text: String) throws -> (Body, [String]) {
            let (value, unknown) = try StrictJSONDecoder().decode(Body.self, from: try StrictJSON.parse(Array(text.utf8)))
            return (value, unknown)
        }
        #expect(try decode(#"{"count": 2147483647}"#).0.count == .max)
        #expect(throws: DecodingError.self) { try decode(#"{"count": 2147483648}"#) }
        #expect(throws: DecodingError.self) { try decode(#"{"count": 1.0}"#) }
        #expect(throws: DecodingError.self) { try decode(#"{"count": "1"}"#) }
        #expect(try decode(#"{"count": 1, "admin": true, "tags": ["x"]}"#).1 == ["admin"])
        // Free-form documents (JSONValue) take any member.
        struct Solve: Decodable { let problem: String; let input: JSONValue }
        let (_, unknown) = try StrictJSONDecoder().decode(Solve.self, from: try StrictJSON.parse(Array(#"{"problem": "p", "input": {"a": {"b": 1}}}"#.utf8)))
        #expect(unknown.isEmpty)
    }

    @Test func logLinesCannotBeForged() throws {
        #expect(EscapingLogHandler.escape("MF1\n2026-11-26T10:00:00 critical: forged") == "MF1\\n2026-11-26T10:00:00 critical: forged")
        #expect(EscapingLogHandler.escape("a\r\u{1B}[2Kb\u{2028}\\") == "a\\r\\u{1B}[2Kb\\u{2028}\\\\")
        #expect(EscapingLogHandler.escape("Nạp tiền") == "Nạp tiền")
        let sink = CapturedLogs()
        var logger = Logger(label: "test") { _ in EscapingLogHandler(wrapping: CapturingLogHandler(sink: sink)) }
        logger.logLevel = .info
        logger.warning("ref \("x\ny")", metadata: ["reference": "MF\n12", "nested": ["k": "v\r"]])
        let line = try #require(sink.all.first)
        #expect(!line.contains("\n") && !line.contains("\r"))
        #expect(line.contains("ref x\\ny") && line.contains("MF\\n12"))
    }

    /// NUL characters in string fields of every kind of body: 422 naming the field, before any
    /// money or row moves. (PostgreSQL refuses NUL in text: these were 500s.)
    @Test func nulBytesAreRefusedAtTheEdge() async throws {
        try await withPipeline { pipeline in
            let client = pipeline.client
            let (user, token) = try await pipeline.customer(balance: 50_000)
            try await makeStaff(pipeline.services, username: "boss", superAdmin: true)
            let staff = try await staffToken(client, "boss")
            let nul = #"\u0000"#
            let cases: [(String, String, String, String?)] = [
                ("/api/v1/auth/register", #"{"email":"n@example.vn","password":"correct-horse-1","full_name":"A\#(nul)B"}"#, "full_name", nil),
                ("/api/v1/auth/login", #"{"email":"n\#(nul)@example.vn","password":"correct-horse-1"}"#, "email", nil),
                ("/api/v1/deposits", #"{"method":"vnpay\#(nul)","amount":20000}"#, "method", token),
                ("/api/v1/solutions", #"{"problem":"quadratic_equation","input":{"equation":"x^2 - 1 = 0\#(nul)"}}"#, "input.equation", token),
                ("/api/v1/solutions", #"{"problem":"quadratic\#(nul)","input":{"a":1,"b":0,"c":-1}}"#, "problem", token),
                ("/api/v1/admin/content/categories", #"{"name":"N\#(nul)","slug":"n"}"#, "name", staff),
                ("/api/v1/admin/content/pages", #"{"title":"T","slug":"t","content":"x\#(nul)"}"#, "content", staff),
                ("/api/v1/admin/content/faqs", #"{"question":"Q?","answer":"A","tags":["a\#(nul)"]}"#, "tags[0]", staff),
                ("/api/v1/admin/users/\(user)/adjustments", #"{"amount":"1000","reason":"r\#(nul)"}"#, "reason", staff),
                ("/api/v1/admin/staff", #"{"username":"u1","email":"u1@x.vn","full_name":"U\#(nul)","password":"staff-password-1"}"#, "full_name", staff),
            ]
            for (path, body, field, bearer) in cases {
                let answer = try await client.send(.post, path, json: body, token: bearer)
                #expect(answer.status == 422 && answer.errorCode == "invalid_characters", "\(path): \(answer.status) \(answer.errorCode ?? "-")")
                #expect((answer.json["error"] as? [String: Any]).flatMap { $0["details"] as? [String: String] }?["field"] == field, "\(path)")
            }
            // The same in a PUT and in a query string or path.
            #expect(try await client.send(.put, "/api/v1/admin/settings/site_name", json: #"{"value":"M\#(nul)F"}"#, token: staff).errorCode == "invalid_characters")
            for uri in ["/api/v1/admin/users?q=%00", "/api/v1/content/faqs?tag=a%00b", "/api/v1/content/pages/a%00b", "/api/v1/solutions?problem=%00"] {
                let answer = try await client.send(.get, uri, token: uri.contains("admin") ? staff : token)
                #expect(answer.status == 422 || answer.status == 400, "\(uri): \(answer.status)")
                #expect(answer.status < 500)
            }
            // Nothing was held and no job was recorded.
            #expect(try await pipeline.services.ledger.balance(of: user).available == Money(dong: 50_000))
            #expect(try await pipeline.services.ledger.balance(of: user).held == .zero)
            #expect(try await client.send(.get, "/api/v1/solutions", token: token).json["total"] as? Int == 0)
        }
    }

    @Test func repeatedKeysUndeclaredFieldsAndBrokenEncodingAreRefused() async throws {
        try await withPipeline { pipeline in
            let client = pipeline.client
            let (user, token) = try await pipeline.customer(balance: 50_000)
            // The same key twice: which one a parser keeps differs, so neither is taken.
            let twice = try await client.send(.post, "/api/v1/deposits", json: #"{"method":"vnpay","amount":20000,"amount":50000000}"#, token: token)
            #expect(twice.status == 400 && twice.errorCode == "duplicate_key")
            let twiceSolve = try await client.send(.post, "/api/v1/solutions", json: #"{"problem":"quadratic_equation","input":{"a":1,"b":0,"c":-1},"problem":"system_equations"}"#, token: token)
            #expect(twiceSolve.status == 400 && twiceSolve.errorCode == "duplicate_key")
            // Members the endpoint does not declare.
            let extra = try await client.send(.post, "/api/v1/auth/register", json: #"{"email":"x@example.vn","password":"correct-horse-1","full_name":"X","role":"admin"}"#)
            #expect(extra.status == 422 && extra.errorCode == "unknown_field")
            let extraSolve = try await client.send(.post, "/api/v1/solutions", json: #"{"problem":"quadratic_equation","input":{"a":1,"b":0,"c":-1},"priority":"premium"}"#, token: token)
            #expect(extraSolve.status == 422 && extraSolve.errorCode == "unknown_field")
            // Bytes that are not UTF-8.
            var invalid = ByteBuffer(string: #"{"email":"a@example.vn","password":"x"#)
            invalid.writeBytes([0xFF, 0xFE])
            invalid.writeString(#"","full_name":"Y"}"#)
            let bytes = try await client.execute(uri: "/api/v1/auth/register", method: .post, headers: [.contentType: "application/json"], body: invalid) { $0.status.code }
            #expect(bytes == 400)
            #expect(try await pipeline.services.ledger.balance(of: user).held == .zero)
            #expect(try await client.send(.get, "/api/v1/solutions", token: token).json["total"] as? Int == 0)
        }
    }

    /// A repeated permission killed the API process ("Duplicate values for key").
    @Test func duplicatePermissionsAreA422() async throws {
        try await withAPI { client, services in
            try await makeStaff(services, username: "root", superAdmin: true)
            let root = try await staffToken(client, "root")
            let create = try await client.send(.post, "/api/v1/admin/staff", json: #"{"username":"twice","email":"twice@staff.mathfarm.vn","full_name":"Twice","password":"staff-password-1","permissions":["users.read","users.read"]}"#, token: root)
            #expect(create.status == 422 && create.errorCode == "invalid_field")
            let created = try await client.send(.post, "/api/v1/admin/staff", json: #"{"username":"once","email":"once@staff.mathfarm.vn","full_name":"Once","password":"staff-password-1","permissions":["users.read"]}"#, token: root)
            let id = try #require(created.string("id"))
            let update = try await client.send(.put, "/api/v1/admin/staff/\(id)", json: #"{"permissions":["audit.read","users.read","audit.read"]}"#, token: root)
            #expect(update.status == 422)
            #expect(try await client.send(.get, "/healthz").status == 200)
        }
    }

    /// int32 columns, calendar dates, SEO lengths, URLs: 422 at the edge, not 500 from PostgreSQL.
    @Test func contentAndAdminFieldsAreCheckedBeforeTheDatabase() async throws {
        try await withAPI { client, services in
            try await makeStaff(services, username: "editor", permissions: [.contentWrite, .solutionsRead, .auditRead])
            let staff = try await staffToken(client, "editor")
            let refused: [(String, String, String)] = [
                ("/api/v1/admin/content/categories", #"{"name":"C","slug":"c","sort_order":2147483648}"#, "sort_order"),
                ("/api/v1/admin/content/categories", #"{"name":"C","slug":"c","sort_order":1000001}"#, "sort_order"),
                ("/api/v1/admin/content/faqs", #"{"question":"Q","answer":"A","sort_order":-2147483649}"#, "sort_order"),
                ("/api/v1/admin/content/pages", #"{"title":"T","slug":"t","content":"c","meta_title":"\#(String(repeating: "x", count: 256))"}"#, "meta_title"),
                // 255 visible letters, 510 scalars (a base letter and a combining mark each).
                ("/api/v1/admin/content/pages", #"{"title":"\#(String(repeating: "a\u{0301}", count: 255))","slug":"t","content":"c"}"#, "title"),
                ("/api/v1/admin/content/pages", #"{"title":"T","slug":"t","content":"c","featured_image_url":"javascript:alert(1)"}"#, "featured_image_url"),
                ("/api/v1/admin/content/pages", #"{"title":"T","slug":"t","content":"c","featured_image_url":"data:text/html,<script>"}"#, "featured_image_url"),
                ("/api/v1/admin/content/pages", #"{"title":"T","slug":"t","content":"c","featured_image_url":"//evil.example/x.png"}"#, "featured_image_url"),
            ]
            for (path, body, field) in refused {
                let answer = try await client.send(.post, path, json: body, token: staff)
                #expect(answer.status == 422, "\(field): \(answer.status) \(String(decoding: answer.body.prefix(200), as: UTF8.self))")
                #expect((answer.json["error"] as? [String: Any]).flatMap { $0["details"] as? [String: String] }?["field"] == field)
            }
            let page = try await client.send(.post, "/api/v1/admin/content/pages", json: #"{"title":"T","slug":"ok","content":"c","featured_image_url":"https://cdn.example.vn/a.png"}"#, token: staff)
            #expect(page.status == 201)
            // A page body of 200,000 characters (the documented limit) fits; one more does not.
            let long = String(repeating: "ạ", count: 200_000)
            #expect(try await client.send(.post, "/api/v1/admin/content/pages", json: #"{"title":"Long","slug":"long","content":"\#(long)"}"#, token: staff).status == 201)
            #expect(try await client.send(.post, "/api/v1/admin/content/pages", json: #"{"title":"Longer","slug":"longer","content":"\#(long)x"}"#, token: staff).errorCode == "field_too_long")
            for uri in ["/api/v1/admin/statistics?from=2026-02-30", "/api/v1/admin/statistics?to=2026-13-01", "/api/v1/admin/audit-logs?from=2026-02-30T00:00:00Z", "/api/v1/admin/audit-logs?to=99999-01-01T00:00:00Z"] {
                let answer = try await client.send(.get, uri, token: staff)
                #expect(answer.status == 422, "\(uri): \(answer.status)")
            }
            #expect(try await client.send(.get, "/api/v1/admin/statistics?from=2024-02-29", token: staff).status == 200)
        }
    }

    /// A price of 0 could not be held; 1 dong became a premium price of 0.
    @Test func pricesAreAtLeastOneDongAndSubmissionWorksAtOne() async throws {
        try await withPipeline { pipeline in
            try await makeStaff(pipeline.services, username: "pricer", permissions: [.catalogWrite])
            let staff = try await staffToken(pipeline.client, "pricer")
            let zero = try await pipeline.client.send(.put, "/api/v1/admin/problems/quadratic_equation", json: #"{"price":0}"#, token: staff)
            #expect(zero.status == 422)
            #expect(try await pipeline.client.send(.put, "/api/v1/admin/problems/quadratic_equation", json: #"{"price":1}"#, token: staff).status == 200)
            for premium in [false, true] {
                let (user, token) = try await pipeline.customer(balance: 10, premium: premium)
                let submitted = try await pipeline.submit(token, input: #"{"a": 1, "b": 0, "c": -1}"#)
                #expect(submitted.status == 202, "premium \(premium): \(String(decoding: submitted.body, as: UTF8.self))")
                #expect(submitted.string("cost") == "1.00")
                #expect(try await pipeline.services.ledger.balance(of: user).held == Money(dong: 1))
            }
        }
    }

    /// Maintenance was bypassed by `/api/v1/solutions/` and `/api/v1//solutions`.
    @Test func maintenanceCannotBeBypassedBySpellingThePath() async throws {
        try await withPipeline { pipeline in
            let client = pipeline.client
            let (user, token) = try await pipeline.customer(balance: 50_000)
            try await pipeline.services.systemSettings.update(key: "maintenance_mode", value: "true")
            try await pipeline.services.settingsCache.refresh()
            let body = #"{"problem":"quadratic_equation","input":{"a":1,"b":0,"c":-1}}"#
            #expect(try await client.send(.post, "/api/v1/solutions", json: body, token: token).status == 503)
            for path in ["/api/v1/solutions/", "/api/v1//solutions", "//api/v1/solutions", "/api/v1/./solutions", "/api/v1/%73olutions", "/api/v1/solutions%2F", "/api/v1/deposits/"] {
                let answer = try await client.send(.post, path, json: path.contains("deposits") ? #"{"method":"vnpay","amount":20000}"# : body, token: token)
                #expect(answer.status == 404 || answer.status == 503, "\(path): \(answer.status)")
            }
            #expect(try await pipeline.services.ledger.balance(of: user).held == .zero)
            #expect(try await client.send(.get, "/api/v1/solutions", token: token).json["total"] as? Int == 0)
            // Reads go on.
            #expect(try await client.send(.get, "/api/v1/me/balance", token: token).status == 200)
        }
    }
}
