import ExactMath
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MathFarmCore
import MathFarmHTTP
@testable import MathSolvers
import NIOCore
import Testing
@testable import WebSite

/// A browser for router tests: keeps cookies, reads form tokens out of pages.
struct TestBrowser: Sendable {
    let client: any TestClientProtocol
    let cookies = CookieJar()

    final class CookieJar: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [String: String] = [:]

        func update(from headers: HTTPFields) {
            lock.withLock {
                for header in headers[values: .setCookie] {
                    let pair = header.split(separator: ";", maxSplits: 1)[0]
                    let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                    guard parts.count == 2 else { continue }
                    let name = String(parts[0]), value = String(parts[1])
                    if value.isEmpty || header.contains("Max-Age=0") { values[name] = nil } else { values[name] = value }
                }
            }
        }

        var header: String { lock.withLock { values.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") } }
        subscript(_ name: String) -> String? { lock.withLock { values[name] } }
    }

    struct Page: Sendable {
        let status: Int
        let headers: HTTPFields
        let html: String

        var location: String? { headers[.location] }

        /// The value of the first `<input name="csrf">`.
        var formToken: String? { field("csrf") }

        func field(_ name: String) -> String? {
            guard let range = html.range(of: #"name="\#(name)" value="([^"]*)""#, options: .regularExpression) else { return nil }
            let match = String(html[range])
            return match.components(separatedBy: "value=\"").last.map { String($0.dropLast()) }
        }
    }

    func get(_ uri: String, headers extra: HTTPFields = [:]) async throws -> Page {
        try await send(.get, uri, body: nil, headers: extra)
    }

    func post(_ uri: String, form: [String: String], headers extra: HTTPFields = [:]) async throws -> Page {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
        var headers = extra
        headers[.contentType] = "application/x-www-form-urlencoded"
        return try await send(.post, uri, body: body, headers: headers)
    }

    func send(_ method: HTTPRequest.Method, _ uri: String, body: String?, headers extra: HTTPFields) async throws -> Page {
        var headers = extra
        let jar = cookies.header
        if !jar.isEmpty { headers[.cookie] = jar }
        let page = try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            Page(status: Int(response.status.code), headers: response.headers, html: String(buffer: response.body))
        }
        cookies.update(from: page.headers)
        return page
    }

    /// Signs up through the form; returns the new customer's id.
    @discardableResult
    func register(email: String, name: String = "Trần Thị B", password: String = "hoc-toan-2026", path: String = "/dang-ky") async throws -> Page {
        let form = try await get(path)
        let token = try #require(form.formToken)
        return try await post(path, form: ["csrf": token, "email": email, "full_name": name, "password": password, "next": ""])
    }
}

func withSite<T: Sendable>(_ body: @escaping @Sendable (TestBrowser, MathFarmServices) async throws -> T) async throws -> T {
    try await withAPI { client, services in
        try await body(TestBrowser(client: client), services)
    }
}

@Suite("Website: pure parts")
struct WebSiteUnitTests {
    /// A solution set as a Vietnamese textbook writes it (semicolons, decimal commas, ∅, ℝ,
    /// families with k ∈ ℤ), and in English notation.
    @Test func solutionSetNotation() throws {
        func set(_ text: String) throws -> [String: JSONValue] {
            guard case .object(let object)? = JSONValue(text: text) else { throw TestSetupError.missingServers }
            return object
        }
        let finite = try set(#"{"kind": "finite", "points": ["-1", "(1 + sqrt(5))/2", "1.5"]}"#)
        #expect(SolutionSetNotation(set: finite, variable: "x", language: .vi).text == "S = {−1; (1 + sqrt(5))/2; 1,5}")
        #expect(SolutionSetNotation(set: finite, variable: "x", language: .en).text == "S = {−1, (1 + sqrt(5))/2, 1.5}")
        let written = SolutionSetNotation(set: finite, variable: "x", language: .vi, latex: ["(1 + sqrt(5))/2": "\\frac{1 + \\sqrt{5}}{2}"])
        #expect(written.latex == "S = \\left\\{-1;\\ \\frac{1 + \\sqrt{5}}{2};\\ 1{,}5\\right\\}")
        let intervals = try set(#"{"kind": "intervals", "intervals": [{"lower": "-oo", "upper": "1", "lower_closed": false, "upper_closed": true}, {"lower": "2", "upper": "oo", "lower_closed": false, "upper_closed": false}]}"#)
        #expect(SolutionSetNotation(set: intervals, variable: "x", language: .vi).text == "S = (−∞; 1] ∪ (2; +∞)")
        #expect(SolutionSetNotation(set: try set(#"{"kind": "empty"}"#), variable: "x", language: .vi).text == "S = ∅")
        #expect(SolutionSetNotation(set: try set(#"{"kind": "all_reals"}"#), variable: "x", language: .en).text == "S = ℝ")
        let families = try set(#"{"kind": "families", "families": [{"base": "pi/6", "period": "2*pi"}]}"#)
        #expect(SolutionSetNotation(set: families, variable: "x", language: .vi).text == "x = π/6 + k2*π, k ∈ ℤ")
    }

    /// An inequality's interval ends drawn with the solver's LaTeX (√2, not a reparsed form).
    @Test func inequalityPresentation() throws {
        let registry = SolverRegistry(diagnosticsEnabled: false)
        let data = try registry.solve(code: "inequality", input: Data(#"{"inequality": "(x^2 - 2)/(x - 3) >= 0"}"#.utf8), deadline: Deadline(after: .seconds(10)))
        let result = try #require(JSONValue(text: String(decoding: data, as: UTF8.self)))
        let page = SolutionPresentation(manifest: registry.entry(for: "inequality")?.manifest, result: result, language: .vi)
        #expect(page.answers.first?.text == "S = [−sqrt(2); sqrt(2)] ∪ (3; +∞)")
        #expect(page.answers.first?.latex == "S = \\left[-\\sqrt{2};\\ \\sqrt{2}\\right] \\cup \\left(3;\\ +\\infty\\right)")
        #expect(page.steps.contains { $0.latex?.contains("\\begin{array}") == true })
    }

    /// A polynomial equation's result on the solution page: the set, then each irrational root
    /// with its decimal (an integer root gets none).
    @Test func polynomialEquationPresentation() throws {
        let registry = SolverRegistry(diagnosticsEnabled: false)
        let data = try registry.solve(code: "polynomial_equation", input: Data(#"{"equation": "(x - 2)(x^2 - x - 1) = 0"}"#.utf8), deadline: Deadline(after: .seconds(10)))
        let result = try #require(JSONValue(text: String(decoding: data, as: UTF8.self)))
        let page = SolutionPresentation(manifest: registry.entry(for: "polynomial_equation")?.manifest, result: result, language: .vi)
        #expect(page.answers.first?.text == "S = {(1 − sqrt(5))/2; (1 + sqrt(5))/2; 2}")
        #expect(page.answers.count == 3)
        #expect(page.answers.dropFirst().allSatisfy { $0.decimal?.contains(",") == true })
    }
    @Test func corrections() {
        #expect(InputCorrections.expression("x sin(x)") == "x*sin(x)")
        #expect(InputCorrections.expression("x^2 sinx") == "x^2*sin(x)")
        #expect(InputCorrections.expression("sin x + ln x") == "sin(x) + ln(x)")
        #expect(InputCorrections.expression("sin 2x") == "sin(2x)")
        #expect(InputCorrections.expression("sinh x") == "sinh(x)")
        #expect(InputCorrections.expression("sin(x)cos(x)") == "sin(x)*cos(x)")
        #expect(InputCorrections.expression("2x(x+1)") == "2x*(x+1)")
        #expect(InputCorrections.expression("(x+1)(x-1)") == "(x+1)(x-1)")
        #expect(InputCorrections.expression("x² − 1,5x") == "x^2 - 1.5x")
        #expect(InputCorrections.expression("√(x+1)") == "sqrt(x+1)")
        #expect(InputCorrections.expression("log(x, 2)") == "log(x, 2)")
        #expect(InputCorrections.expression("e^(2x)") == "e^(2x)")
        #expect(InputCorrections.expression("x_1 x_2") == "x_1*x_2")
        #expect(InputCorrections.equation("x^2 - 3x + 1", requireEquals: true) == "x^2 - 3x + 1 = 0")
        #expect(InputCorrections.equation("x^2 = 1", requireEquals: true) == "x^2 = 1")
        #expect(InputCorrections.number(" 1,25 ") == "1.25")
        #expect(InputCorrections.number("−3") == "-3")
    }

    @Test func vietnameseAndEnglishNumbers() {
        #expect(Formatting.money(Money(dong: 2000), .vi) == "2.000\u{00A0}₫")
        #expect(Formatting.money(Money(dong: 2000), .en) == "2,000\u{00A0}₫")
        #expect(Formatting.money(Money(dong: 1_234_567), .vi) == "1.234.567\u{00A0}₫")
        #expect(Formatting.money(Money(dong: 999), .vi) == "999\u{00A0}₫")
        #expect(Formatting.money(Money(minorUnits: 123_450), .vi) == "1.234,50\u{00A0}₫")
        #expect(Formatting.money(Money(dong: -500), .en) == "−500\u{00A0}₫")
        #expect(Formatting.decimal("0.38196601125", .vi) == "0,38196601125")
        #expect(Formatting.decimal("-2.5", .en) == "-2.5")
        #expect(WalletPages.feePercent("0.0110") == "1.1")
        #expect(WalletPages.feePercent("0.0150") == "1.5")
        #expect(WalletPages.feePercent("0.0000") == "0")
        #expect(WalletPages.feePercent("0.0125") == "1.25")
        #expect(WalletPages.dong("50.000") == 50_000)
        #expect(WalletPages.dong("50,000 ₫") == 50_000)
        #expect(WalletPages.dong("5e4") == nil)
        #expect(WalletPages.dong("") == nil)
    }

    @Test func pathsInBothLanguages() {
        let id = UUID(uuidString: "3f2c9a1e-0000-4000-8000-000000000001")!
        #expect(SitePage.problem("quadratic_equation").path(.vi) == "/giai/quadratic_equation")
        #expect(SitePage.problem("quadratic_equation").path(.en) == "/en/solve/quadratic_equation")
        #expect(SitePage.solution(id).path(.vi) == "/loi-giai/3f2c9a1e-0000-4000-8000-000000000001")
        #expect(SitePage.deposit(id).path(.en) == "/en/top-up/3f2c9a1e-0000-4000-8000-000000000001")
        #expect(SitePage.home.path(.vi) == "/")
        #expect(SitePage.home.path(.en) == "/en")
        #expect(SitePage.guide("a b/c").path(.vi) == "/huong-dan/a%20b%2Fc")
        #expect(SitePage.language(ofPath: "/en/solve/x") == .en)
        #expect(SitePage.language(ofPath: "/english") == .vi)
        #expect(SitePage.safeReturnPath("/giai/derivative?expression=x") == "/giai/derivative?expression=x")
        for hostile in ["//evil.example/x", "https://evil.example", "/\\evil.example", "javascript:alert(1)", "", "/a\nb"] {
            #expect(SitePage.safeReturnPath(hostile) == nil, "\(hostile)")
        }
    }

    @Test func formTokensAreBoundMaskedAndCheckedInFull() {
        let tokens = FormTokens(key: .init(size: .bits256))
        let first = tokens.token(binding: .session("abc"))
        let second = tokens.token(binding: .session("abc"))
        #expect(first != second)  // a new pad each time
        #expect(tokens.isValid(first, binding: .session("abc")))
        #expect(tokens.isValid(second, binding: .session("abc")))
        #expect(!tokens.isValid(first, binding: .session("abd")))
        #expect(!tokens.isValid(first, binding: .anonymous("abc")))
        #expect(!tokens.isValid(nil, binding: .session("abc")))
        #expect(!tokens.isValid("", binding: .session("abc")))
        var bytes = FormTokens.decodeBase64URL(first) ?? []
        bytes[40] ^= 1
        #expect(!tokens.isValid(FormTokens.base64URL(bytes), binding: .session("abc")))
        let other = FormTokens(key: .init(size: .bits256))
        #expect(!other.isValid(first, binding: .session("abc")))
    }

    /// Every template escapes what it prints: no `{{{…}}}` or `{{& …}}` anywhere.
    @Test func templatesNeverPrintRawValues() throws {
        let directory = try #require(PageRenderer.templatesDirectory)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".mustache") }
        #expect(files.count >= 15)
        for file in files {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            #expect(!text.contains("{{{"), "\(file)")
            #expect(!text.contains("{{&"), "\(file)")
            #expect(!text.contains("style="), "\(file): inline styles are refused by the CSP")
            #expect(!text.contains("<script>"), "\(file): inline scripts are refused by the CSP")
            // Inside `{{#.name}}` the value is the top of the stack: it prints as `{{.}}`, while
            // `{{.name}}` would look for a member of the value and print nothing.
            let pattern = #"\{\{#\.([A-Za-z]+)\}\}((?!\{\{/).)*\{\{\.\1\}\}"#
            #expect(text.range(of: pattern, options: .regularExpression) == nil, "\(file)")
        }
    }

    @Test func quadraticPreviewReadsLikeTheTextbook() throws {
        let parsed = try QuadraticSolverParsing.parse(#"{"a": "1", "b": "-3", "c": "1"}"#)
        #expect(QuadraticSolver.preview(parsed).latex == "x^{2} - 3x + 1 = 0")
        let halves = try QuadraticSolverParsing.parse(#"{"a": "-1/2", "b": "0", "c": "2"}"#)
        #expect(QuadraticSolver.preview(halves).latex == "-\\frac{1}{2}x^{2} + 2 = 0")
        #expect(QuadraticSolver.preview(halves).text == "-1/2*x^2 + 2 = 0")
    }

    @Test func vietQRIsARealQRCode() throws {
        let payload = "00020101021238570010A000000727012700069704360113001122334455660208QRIBFTTA53037045405500005802VN62150811MFTESTREF1236304ABCD"
        let modules = try #require(QRCodeSVG.matrix(for: payload))
        #expect((modules.count - 17) % 4 == 0 && modules.count >= 21)  // version v has 17 + 4v modules
        // The three finder patterns: a dark 7×7 ring with a dark 3×3 centre.
        for (row, column) in [(0, 0), (0, modules.count - 7), (modules.count - 7, 0)] {
            #expect(modules[row][column] && modules[row + 6][column + 6] && modules[row + 3][column + 3])
            #expect(!modules[row + 1][column + 1])
        }
        let svg = try #require(QRCodeSVG.svg(for: payload))
        #expect(svg.hasPrefix("<svg") && !svg.contains("MFTESTREF"))
    }
}

@Suite("Website over HTTP")
struct WebSiteTests {
    @Test func publicPagesInBothLanguagesWithTheirHeaders() async throws {
        try await withSite { browser, services in
            try await DemoContent.installForTests(services)
            for (path, lang, text) in [("/", "vi", "Giải toán chính xác"), ("/en", "en", "Exact math"), ("/bang-gia", "vi", "2.000\u{00A0}₫"), ("/en/pricing", "en", "2,000\u{00A0}₫"),
                                       ("/huong-dan", "vi", "Giải phương trình bậc hai"), ("/en/guides", "en", "Solving quadratic equations"),
                                       ("/hoi-dap", "vi", "Nạp tiền vào tài khoản thế nào?"), ("/en/faq", "en", "How do I top up my balance?"),
                                       ("/giai/quadratic_equation", "vi", "Phương trình bậc hai"), ("/en/solve/derivative", "en", "Derivative"),
                                       ("/huong-dan/huong-dan-dao-ham", "vi", "Đạo hàm"), ("/en/guides/huong-dan-dao-ham", "en", "Derivatives")] {
                let page = try await browser.get(path)
                #expect(page.status == 200, "\(path)")
                #expect(page.html.contains("<html lang=\"\(lang)\">"), "\(path)")
                #expect(page.html.contains(text), "\(path)")
                #expect(page.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
                #expect(page.headers[.contentSecurityPolicy]?.contains("unsafe-inline") == false)
                #expect(page.html.contains(#"hreflang="en""#) && page.html.contains(#"hreflang="vi""#), "\(path)")
                #expect(page.headers[HTTPField.Name("Server-Timing")!]?.hasPrefix("app;dur=") == true)
            }
            // KaTeX only where there is math.
            #expect(try await browser.get("/giai/derivative").html.contains("katex.min.js"))
            #expect(try await browser.get("/bang-gia").html.contains("katex") == false)
            let guide = try await browser.get("/huong-dan/huong-dan-dao-ham")
            #expect(guide.html.contains(#"<link rel="canonical" href="http://127.0.0.1:8080/huong-dan/huong-dan-dao-ham">"#))
            #expect(guide.html.contains(#"property="og:type" content="article""#))
        }
    }

    @Test func friendlyErrorPagesForPagesAndJSONForTheAPI() async throws {
        try await withSite { browser, _ in
            let missing = try await browser.get("/khong-co-trang-nay")
            #expect(missing.status == 404)
            #expect(missing.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(missing.html.contains("Không tìm thấy trang"))
            let english = try await browser.get("/en/no-such-page")
            #expect(english.status == 404 && english.html.contains("Page not found") && english.html.contains(#"lang="en""#))
            #expect(try await browser.get("/giai/no_such_problem").status == 404)
            #expect(try await browser.get("/loi-giai/not-a-uuid").status == 404)
            let privatePage = try await browser.get("/loi-giai/\(UUID().uuidString.lowercased())")
            #expect(privatePage.status == 303 && privatePage.location?.hasPrefix("/dang-nhap?next=%2Floi-giai%2F") == true)
            let api = try await browser.get("/api/v1/no-such-route")
            #expect(api.status == 404 && api.headers[.contentType]?.hasPrefix("application/json") == true)
            // The OpenAPI document and the probes keep JSON errors too (a NUL in the query is a 422).
            let document = try await browser.get("/openapi.json?lang=%00")
            #expect(document.status == 422 && document.headers[.contentType]?.hasPrefix("application/json") == true)
            let page = try await browser.get("/bang-gia?x=%00")
            #expect(page.status == 422 && page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(try await browser.get("/static/app.css").status == 200)
            #expect(try await browser.get("/static/../Package.swift").status == 404)
        }
    }

    @Test func registerTopUpFormSolveAndLogOut() async throws {
        try await withSite { browser, services in
            let registered = try await browser.register(email: "hs1@example.vn")
            #expect(registered.status == 303)
            #expect(registered.location == "/nap-tien")
            let setCookies = registered.headers[values: .setCookie].joined(separator: "\n")
            #expect(setCookies.contains("mf_session=") && setCookies.contains("HttpOnly") && setCookies.contains("SameSite=Lax"))
            #expect(browser.cookies["mf_session"] != nil)

            let wallet = try await browser.get("/vi-tien")
            #expect(wallet.status == 200)
            #expect(wallet.headers[.cacheControl] == "no-store")
            #expect(wallet.html.contains("Trần Thị B"))
            let userID = try #require(try await services.pools[.user].query("SELECT id FROM users WHERE email = 'hs1@example.vn'").collectRows().first?.decode(UUID.self))
            _ = try await services.ledger.credit(userID: userID, amount: Money(dong: 10_000), reference: "fund-\(userID)", reason: "test", changedBy: "test")

            // Solve through the form: the job is queued and its price held, once however often
            // the same form is sent.
            let form = try await browser.get("/giai/quadratic_equation")
            let token = try #require(form.formToken)
            let submission = try #require(form.field("submission"))
            let fields = ["csrf": token, "submission": submission, "equation": "x^2 - 3x + 1 = 0", "action": "solve"]
            let sent = try await browser.post("/giai/quadratic_equation", form: fields)
            #expect(sent.status == 303)
            let location = try #require(sent.location)
            #expect(location.hasPrefix("/loi-giai/"))
            let again = try await browser.post("/giai/quadratic_equation", form: fields)
            #expect(again.location == location)
            let balance = try await services.ledger.balance(of: userID)
            #expect(balance.available == Money(dong: 8_000) && balance.held == Money(dong: 2_000))

            let solution = try await browser.get(location)
            #expect(solution.status == 200)
            #expect(solution.html.contains("data-poll=\"\(location)/trang-thai\""))
            #expect(solution.html.contains(#"<meta http-equiv="refresh" content="3">"#))
            let history = try await browser.get("/lich-su")
            #expect(history.html.contains(location))

            // Log out: the session row is gone and private pages send the browser to log in.
            let logoutToken = try #require(try await browser.get("/dang-xuat").formToken)
            let out = try await browser.post("/dang-xuat", form: ["csrf": logoutToken])
            #expect(out.status == 303 && out.location == "/")
            #expect(browser.cookies["mf_session"] == nil)
            let after = try await browser.get("/vi-tien")
            #expect(after.status == 303 && after.location == "/dang-nhap?next=%2Fvi-tien")
            let rows = try await services.pools[.user].query("SELECT count(*)::int8 FROM browser_sessions WHERE user_id = \(userID)").collectRows()
            #expect(try rows.first?.decode(Int64.self) == 0)

            // And back in.
            let login = try await browser.get("/dang-nhap?next=%2Fvi-tien")
            let loginToken = try #require(login.formToken)
            let wrong = try await browser.post("/dang-nhap", form: ["csrf": loginToken, "email": "hs1@example.vn", "password": "sai-mat-khau-1", "next": "/vi-tien"])
            #expect(wrong.status == 401 && wrong.html.contains("Email hoặc mật khẩu không đúng."))
            let right = try await browser.post("/dang-nhap", form: ["csrf": try #require(wrong.formToken), "email": "hs1@example.vn", "password": "hoc-toan-2026", "next": "/vi-tien"])
            #expect(right.status == 303 && right.location == "/vi-tien")
        }
    }

    @Test func badInputIsShownAtTheFieldAndChargesNothing() async throws {
        try await withSite { browser, services in
            try await browser.register(email: "hs2@example.vn", path: "/en/register")
            let userID = try #require(try await services.pools[.user].query("SELECT id FROM users WHERE email = 'hs2@example.vn'").collectRows().first?.decode(UUID.self))
            _ = try await services.ledger.credit(userID: userID, amount: Money(dong: 10_000), reference: "fund-\(userID)", reason: "test", changedBy: "test")
            let form = try await browser.get("/en/solve/derivative")
            let bad = try await browser.post("/en/solve/derivative", form: [
                "csrf": try #require(form.formToken), "submission": try #require(form.field("submission")), "expression": "x sin(x)", "action": "solve",
            ])
            #expect(bad.status == 422)
            #expect(bad.html.contains(#"id="f-expression-error""#))
            #expect(bad.html.contains(#"aria-invalid="true""#))
            #expect(bad.html.contains(#"data-value="x*sin(x)""#))  // did you mean
            let balance = try await services.ledger.balance(of: userID)
            #expect(balance.available == Money(dong: 10_000) && balance.held == .zero)
            let jobs = try await services.solveService.list(userID: userID, status: nil, problem: nil, limit: 10, offset: 0)
            #expect(jobs.total == 0)

            // Not enough money: said so, with the way to top up, and nothing held.
            let poor = TestBrowser(client: browser.client)
            try await poor.register(email: "hs2b@example.vn", path: "/en/register")
            let poorForm = try await poor.get("/en/solve/derivative")
            #expect(poorForm.html.contains("not enough for this problem"))
            let refused = try await poor.post("/en/solve/derivative", form: [
                "csrf": try #require(poorForm.formToken), "submission": SecretToken.generate(), "expression": "x^2", "action": "solve",
            ])
            #expect(refused.status == 402)
            #expect(refused.html.contains("Your balance is not enough for this problem. Nothing was charged."))
            #expect(refused.html.contains(#"<a href="/en/top-up">Top up now</a>"#))
        }
    }

    @Test func formsWithoutTheRightTokenOrFromAnotherSiteAreRefused() async throws {
        try await withSite { browser, services in
            try await browser.register(email: "hs3@example.vn")
            let userID = try #require(try await services.pools[.user].query("SELECT id FROM users WHERE email = 'hs3@example.vn'").collectRows().first?.decode(UUID.self))
            _ = try await services.ledger.credit(userID: userID, amount: Money(dong: 10_000), reference: "fund-\(userID)", reason: "test", changedBy: "test")
            let form = try await browser.get("/giai/quadratic_equation")
            let token = try #require(form.formToken)
            let base = ["submission": SecretToken.generate(), "equation": "x^2 - 1 = 0", "action": "solve"]

            let missing = try await browser.post("/giai/quadratic_equation", form: base)
            #expect(missing.status == 403)
            #expect(missing.html.contains("Biểu mẫu đã hết hạn"))
            let forged = try await browser.post("/giai/quadratic_equation", form: base.merging(["csrf": "AAAA" + token.dropFirst(4)]) { $1 })
            #expect(forged.status == 403)
            let crossSite = try await browser.post(
                "/giai/quadratic_equation", form: base.merging(["csrf": token]) { $1 },
                headers: [.origin: "https://evil.example", HTTPField.Name("Sec-Fetch-Site")!: "cross-site"]
            )
            #expect(crossSite.status == 403)
            // A token of another visitor's session does not fit this one.
            let stranger = TestBrowser(client: browser.client)
            try await stranger.register(email: "hs4@example.vn")
            let strangerToken = try #require(try await stranger.get("/giai/quadratic_equation").formToken)
            #expect(try await browser.post("/giai/quadratic_equation", form: base.merging(["csrf": strangerToken]) { $1 }).status == 403)
            // None of them charged anything or made a job.
            #expect(try await services.ledger.balance(of: userID).available == Money(dong: 10_000))
            #expect(try await services.solveService.list(userID: userID, status: nil, problem: nil, limit: 10, offset: 0).total == 0)
            // The genuine post still works.
            #expect(try await browser.post("/giai/quadratic_equation", form: base.merging(["csrf": token]) { $1 }).status == 303)
        }
    }

    @Test func maintenanceModePausesSolvesAndTopUpsOnly() async throws {
        try await withSite { browser, services in
            try await browser.register(email: "hs7@example.vn")
            let userID = try #require(try await services.pools[.user].query("SELECT id FROM users WHERE email = 'hs7@example.vn'").collectRows().first?.decode(UUID.self))
            _ = try await services.ledger.credit(userID: userID, amount: Money(dong: 10_000), reference: "fund-\(userID)", reason: "test", changedBy: "test")
            _ = try await services.systemSettings.update(key: "maintenance_mode", value: "true")
            _ = try await services.settingsCache.refresh()
            let form = try await browser.get("/giai/quadratic_equation")
            #expect(form.status == 200 && form.html.contains("MathFarm đang bảo trì"))
            let paused = try await browser.post("/giai/quadratic_equation", form: [
                "csrf": try #require(form.formToken), "submission": SecretToken.generate(), "equation": "x^2 - 1 = 0", "action": "solve",
            ])
            #expect(paused.status == 503)
            #expect(paused.html.contains(#"id="form-error""#) && paused.html.contains("x^2 - 1 = 0"))  // the input is kept
            let topUp = try await browser.get("/nap-tien")
            let refused = try await browser.post("/nap-tien", form: ["csrf": try #require(topUp.formToken), "method": "vnpay", "amount": "50000"])
            #expect(refused.status == 503)
            let balance = try await services.ledger.balance(of: userID)
            #expect(balance.available == Money(dong: 10_000) && balance.held == .zero)
            #expect(try await browser.get("/vi-tien").status == 200)
        }
    }

    @Test func everyUserSuppliedStringIsEscaped() async throws {
        try await withSite { browser, _ in
            let hostile = #"<script>alert("x")</script>"#
            let page = try await browser.register(email: "hs5@example.vn", name: hostile)
            #expect(page.status == 303)
            let account = try await browser.get("/tai-khoan")
            #expect(!account.html.contains("<script>alert"))
            #expect(account.html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"))
            let prefilled = try await browser.get("/giai/derivative?expression=%22%3E%3Cimg%20src%3Dx%3E")
            #expect(!prefilled.html.contains("<img src=x>"))
            #expect(prefilled.html.contains("&quot;&gt;&lt;img src=x&gt;"))
        }
    }

    @Test func previewChecksLikeASubmissionAndSuggests() async throws {
        try await withAPI { client, _ in
            let ok = try await client.send(.get, "/api/v1/preview?problem=quadratic_equation&equation=x%5E2%20-%203x%20%2B%201%20%3D%200")
            #expect(ok.status == 200)
            #expect(ok.string("latex") == "x^{2} - 3x + 1 = 0")
            // Form-encoded, as a browser sends it: `+` is a space, `%2B` a plus.
            let formEncoded = try await client.send(.get, "/api/v1/preview?problem=quadratic_equation&equation=x%5E2+-+3x+%2B+1+%3D+0")
            #expect(formEncoded.status == 200 && formEncoded.string("latex") == "x^{2} - 3x + 1 = 0")
            let coefficients = try await client.send(.get, "/api/v1/preview?problem=quadratic_equation&a=1&b=0&c=-2,5")
            #expect(coefficients.status == 200)
            #expect(coefficients.string("latex") == "x^{2} - \\frac{5}{2} = 0")
            let derivative = try await client.send(.get, "/api/v1/preview?problem=derivative&expression=x%5E2*sin(x)&order=2")
            #expect(derivative.string("latex")?.hasPrefix("\\frac{d^{2}}{dx^{2}}") == true)
            let suggestion = try await client.send(.get, "/api/v1/preview?problem=derivative&expression=x%20sin(x)&lang=vi")
            #expect(suggestion.status == 422)
            #expect(suggestion.string("error", "details", "field") == "expression")
            #expect(suggestion.string("error", "details", "did_you_mean") == "x*sin(x)")
            let bare = try await client.send(.get, "/api/v1/preview?problem=quadratic_equation&equation=x%5E2-1")
            #expect(bare.string("error", "details", "did_you_mean") == "x^2-1 = 0")
            let empty = try await client.send(.get, "/api/v1/preview?problem=limit")
            #expect(empty.status == 422 && empty.string("error", "details", "field") == "expression")
            #expect(try await client.send(.get, "/api/v1/preview?problem=nope&expression=x").errorCode == "unknown_problem")
            #expect(try await client.send(.get, "/api/v1/preview").errorCode == "missing_field")
            let long = String(repeating: "x+", count: 1_100) + "x"
            #expect(try await client.send(.get, "/api/v1/preview?problem=derivative&expression=\(long)").status == 422)
            let system = try await client.send(.get, "/api/v1/preview?problem=system_equations&equations=x%2By%3D2%0Ax-y%3D0")
            #expect(system.string("latex")?.hasPrefix("\\begin{cases}") == true)
        }
    }

    @Test func topUpGoesToTheGatewayAndComesBackToTheDepositPage() async throws {
        try await withSite { browser, services in
            try await browser.register(email: "hs6@example.vn", path: "/en/register")
            let form = try await browser.get("/en/top-up")
            #expect(form.html.contains("VNPay"))
            let sent = try await browser.post("/en/top-up", form: [
                "csrf": try #require(form.formToken), "submission": try #require(form.field("submission")), "method": "vnpay", "amount": "50.000",
            ])
            #expect(sent.status == 303)
            let payURL = try #require(sent.location)
            #expect(payURL.contains("vnp_Amount=5000000"))
            let reference = try #require(URLComponents(string: payURL)?.queryItems?.first { $0.name == "vnp_TxnRef" }?.value)
            let deposit = try #require(try await services.ledger.deposit(reference: reference))
            // The gateway sends the browser back: on to the deposit's page, in English.
            let back = try await browser.get("/api/v1/payments/vnpay/return?vnp_TxnRef=\(reference)", headers: [.accept: "text/html,application/xhtml+xml"])
            #expect(back.status == 303)
            #expect(back.location == "/en/top-up/\(deposit.id.uuidString.lowercased())")
            let json = try await browser.get("/api/v1/payments/vnpay/return?vnp_TxnRef=\(reference)", headers: [.accept: "application/json"])
            #expect(json.status == 200)
            let page = try await browser.get(try #require(back.location))
            #expect(page.status == 200 && page.html.contains("Waiting for payment"))

            // Bank transfer: the page shows the VietQR image and the memo.
            let bankForm = try await browser.get("/en/top-up")
            let bank = try await browser.post("/en/top-up", form: [
                "csrf": try #require(bankForm.formToken), "submission": try #require(bankForm.field("submission")), "method": "qr_code", "amount": "20000",
            ])
            let bankPage = try await browser.get(try #require(bank.location))
            #expect(bankPage.html.contains("vietqr.svg"))
            let qrPath = try #require(bankPage.html.range(of: #"/en/top-up/[0-9a-f-]+/vietqr.svg"#, options: .regularExpression).map { String(bankPage.html[$0]) })
            let qr = try await browser.get(qrPath)
            #expect(qr.status == 200 && qr.headers[.contentType] == "image/svg+xml" && qr.html.hasPrefix("<svg"))

            // A bad amount is shown next to the field.
            let retry = try await browser.get("/en/top-up")
            let wrong = try await browser.post("/en/top-up", form: ["csrf": try #require(retry.formToken), "method": "vnpay", "amount": "12.5k"])
            #expect(wrong.status == 422 && wrong.html.contains(#"id="f-amount-error""#))
        }
    }

    @Test func sitemapAndRobots() async throws {
        try await withSite { browser, services in
            try await DemoContent.installForTests(services)
            let sitemap = try await browser.get("/sitemap.xml")
            #expect(sitemap.status == 200)
            #expect(sitemap.html.contains("<loc>http://127.0.0.1:8080/giai/quadratic_equation</loc>"))
            #expect(sitemap.html.contains(#"hreflang="en" href="http://127.0.0.1:8080/en/solve/quadratic_equation""#))
            #expect(sitemap.html.contains("/huong-dan/huong-dan-dao-ham"))
            let robots = try await browser.get("/robots.txt")
            #expect(robots.html.contains("Disallow: /vi-tien") && robots.html.contains("Sitemap: http://127.0.0.1:8080/sitemap.xml"))
        }
    }
}

import ContentService
import SolverService

extension DemoContent {
    static func installForTests(_ services: MathFarmServices) async throws {
        try await install(into: services.contentStore)
    }
}

enum QuadraticSolverParsing {
    static func parse(_ json: String) throws -> QuadraticSolver.Parsed {
        try QuadraticSolver().parse(json: Data(json.utf8))
    }
}
