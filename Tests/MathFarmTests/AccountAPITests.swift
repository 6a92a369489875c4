import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MathFarmCore
import MathFarmHTTP
import Testing
import UserService

@Suite("Customer accounts over HTTP")
struct AccountAPITests {
    @Test func registerLoginMeRefreshLogout() async throws {
        try await withAPI { client, _ in
            let registered = try await client.send(.post, "/api/v1/auth/register", json: registerBody(email: "  Lan@Example.VN "))
            #expect(registered.status == 201)
            #expect(registered.string("user", "email") == "lan@example.vn")
            #expect(registered.string("user", "role") == "user")
            let access = try #require(registered.string("access_token"))
            let refresh = try #require(registered.string("refresh_token"))

            let me = try await client.send(.get, "/api/v1/me", token: access)
            #expect(me.status == 200)
            #expect(me.string("full_name") == "Nguyễn Văn A")
            #expect(me.string("last_login") != nil)

            let login = try await client.send(.post, "/api/v1/auth/login", json: #"{"email":"LAN@example.vn","password":"correct-horse-1"}"#)
            #expect(login.status == 200)

            let rotated = try await client.send(.post, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(refresh)"}"#)
            #expect(rotated.status == 200)
            let newRefresh = try #require(rotated.string("refresh_token"))
            let newAccess = try #require(rotated.string("access_token"))
            #expect(newRefresh != refresh)
            #expect(try await client.send(.get, "/api/v1/me", token: newAccess).status == 200)

            let logout = try await client.send(.post, "/api/v1/auth/logout", token: newAccess)
            #expect(logout.status == 204)
            #expect(try await client.send(.get, "/api/v1/me", token: newAccess).status == 401)
            #expect(try await client.send(.post, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(newRefresh)"}"#).status == 401)
            // The login's own session is untouched by logging out another one.
            let loginAccess = try #require(login.string("access_token"))
            #expect(try await client.send(.get, "/api/v1/me", token: loginAccess).status == 200)
        }
    }

    /// Reuse after the grace period (0 here: "later") revokes the whole session.
    @Test func reusingARotatedRefreshTokenRevokesTheSession() async throws {
        try await withAPI(["MATHFARM_REFRESH_REUSE_GRACE": "0"]) { client, _ in
            let registered = try await client.send(.post, "/api/v1/auth/register", json: registerBody(email: "reuse@example.vn"))
            let refresh = try #require(registered.string("refresh_token"))
            let rotated = try await client.send(.post, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(refresh)"}"#)
            let stolenLater = try await client.send(.post, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(refresh)"}"#)
            #expect(stolenLater.status == 401)
            #expect(stolenLater.errorCode == "refresh_token_reused")
            // The legitimate holder's newer tokens died with the session.
            let newRefresh = try #require(rotated.string("refresh_token"))
            let newAccess = try #require(rotated.string("access_token"))
            #expect(try await client.send(.post, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(newRefresh)"}"#).status == 401)
            #expect(try await client.send(.get, "/api/v1/me", token: newAccess).status == 401)
            #expect(try await client.send(.post, "/api/v1/auth/refresh", json: #"{"refresh_token":"made-up"}"#).errorCode == "invalid_refresh_token")
        }
    }

    @Test func repeatedWrongPasswordsFromOneAddressAreDelayed() async throws {
        try await withAPI(["MATHFARM_TRUST_PROXY": "true"]) { client, _ in
            _ = try await client.send(.post, "/api/v1/auth/register", json: registerBody(email: "victim@example.vn"))
            let attacker: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "203.0.113.7"]
            for _ in 0..<5 {
                let wrong = try await client.send(.post, "/api/v1/auth/login", json: #"{"email":"victim@example.vn","password":"wrong-password-9"}"#, headers: attacker)
                #expect(wrong.status == 401)
                #expect(wrong.errorCode == "invalid_credentials")
            }
            let limited = try await client.send(.post, "/api/v1/auth/login", json: #"{"email":"victim@example.vn","password":"correct-horse-1"}"#, headers: attacker)
            #expect(limited.status == 429)
            #expect(limited.errorCode == "too_many_login_attempts")
            #expect(limited.headers[.retryAfter] != nil)
            // The owner, from another address, logs in.
            let owner = try await client.send(
                .post, "/api/v1/auth/login", json: #"{"email":"victim@example.vn","password":"correct-horse-1"}"#,
                headers: [HTTPField.Name("X-Forwarded-For")!: "198.51.100.1"]
            )
            #expect(owner.status == 200)
        }
    }

    @Test func backoffDelaysDoubleAndAreCapped() {
        let rule = LoginBackoff.Rule(freeFailures: 5, maximumDelay: .seconds(900))
        #expect((1...4).allSatisfy { rule.delay(afterFailures: $0) == .zero })
        #expect([5, 6, 7, 8].map { rule.delay(afterFailures: $0) } == [.seconds(5), .seconds(10), .seconds(20), .seconds(40)])
        #expect(rule.delay(afterFailures: 12) == .seconds(640))
        #expect(rule.delay(afterFailures: 13) == .seconds(900) && rule.delay(afterFailures: 10_000) == .seconds(900))
        let account = LoginBackoff.Rule(freeFailures: 20, maximumDelay: LoginThrottle.accountDelayCap)
        #expect(account.delay(afterFailures: 1_000_000) == .seconds(60))
    }

    /// A school or carrier NAT: many customers behind one address. Failures on several accounts
    /// from it do not keep the others out (the per-address allowance is 100, not 5).
    @Test func sharedAddressDoesNotLockOutItsOtherCustomers() async throws {
        try await withAPI(["MATHFARM_TRUST_PROXY": "true"]) { client, _ in
            _ = try await client.send(.post, "/api/v1/auth/register", json: registerBody(email: "other@example.vn"))
            let school: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "203.0.113.77"]
            for index in 0..<12 {
                let wrong = try await client.send(.post, "/api/v1/auth/login", json: #"{"email":"pupil\#(index % 4)@example.vn","password":"guess-123456"}"#, headers: school)
                #expect(wrong.status == 401)
            }
            let classmate = try await client.send(.post, "/api/v1/auth/login", json: #"{"email":"other@example.vn","password":"correct-horse-1"}"#, headers: school)
            #expect(classmate.status == 200)
        }
    }

    /// Failures from many addresses on one account: the account-wide delay starts at 20 and never
    /// exceeds a minute, so nobody can keep the owner out for long.
    @Test func accountWideDelayIsShort() async throws {
        try await withAPI(["MATHFARM_TRUST_PROXY": "true"]) { client, services in
            _ = try await client.send(.post, "/api/v1/auth/register", json: registerBody(email: "target@example.vn"))
            for index in 0..<3 {
                let from: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "203.0.113.\(index + 1)"]
                _ = try await client.send(.post, "/api/v1/auth/login", json: #"{"email":"target@example.vn","password":"guess-123456"}"#, headers: from)
            }
            // As if a botnet had failed a thousand times on the account; one more failure sets the delay.
            try await services.pools[.user].query("UPDATE login_throttle SET failures = 1000 WHERE scope = 'email' AND subject = 'target@example.vn'")
            _ = try await client.send(
                .post, "/api/v1/auth/login", json: #"{"email":"target@example.vn","password":"guess-123456"}"#,
                headers: [HTTPField.Name("X-Forwarded-For")!: "203.0.113.200"]
            )
            let owner = try await client.send(
                .post, "/api/v1/auth/login", json: #"{"email":"target@example.vn","password":"correct-horse-1"}"#,
                headers: [HTTPField.Name("X-Forwarded-For")!: "198.51.100.9"]
            )
            #expect(owner.status == 429)
            let wait = try #require(owner.headers[.retryAfter].flatMap(Int.init))
            #expect(wait >= 50 && wait <= 60)
        }
    }

    @Test func badInputGetsClearErrors() async throws {
        try await withAPI { client, _ in
            let duplicate = try await client.send(.post, "/api/v1/auth/register", json: registerBody(email: "dup@example.vn"))
            #expect(duplicate.status == 201)
            let again = try await client.send(.post, "/api/v1/auth/register", json: registerBody(email: "DUP@example.vn"))
            #expect(again.status == 409)
            #expect(again.errorCode == "email_taken")

            let weak = try await client.send(.post, "/api/v1/auth/register", json: registerBody(email: "weak@example.vn", password: "short"))
            #expect(weak.status == 422 && weak.errorCode == "weak_password")

            let badEmail = try await client.send(.post, "/api/v1/auth/register", json: registerBody(email: "not-an-email"))
            #expect(badEmail.status == 422)
            #expect((badEmail.json["error"] as? [String: Any])?["details"] as? [String: String] == ["field": "email"])

            let missing = try await client.send(.post, "/api/v1/auth/register", json: #"{"email":"x@example.vn"}"#)
            #expect(missing.status == 422 && missing.errorCode == "missing_field")

            let wrongType = try await client.send(.post, "/api/v1/auth/register", json: #"{"email":5,"password":"a","full_name":"b"}"#)
            #expect(wrongType.status == 422 && wrongType.errorCode == "invalid_field")

            let broken = try await client.send(.post, "/api/v1/auth/register", json: #"{"email":"#)
            #expect(broken.status == 400 && broken.errorCode == "malformed_request")

            let huge = try await client.send(.post, "/api/v1/auth/register", json: registerBody(email: "big@example.vn", name: String(repeating: "x", count: 70_000)))
            #expect(huge.status == 413 && huge.errorCode == "payload_too_large")

            let longName = try await client.send(.post, "/api/v1/auth/register", json: registerBody(email: "long@example.vn", name: String(repeating: "x", count: 300)))
            #expect(longName.status == 422 && longName.errorCode == "field_too_long")

            let unknown = try await client.send(.get, "/api/v1/nowhere")
            #expect(unknown.status == 404 && unknown.errorCode == "not_found")

            let noToken = try await client.send(.get, "/api/v1/me")
            #expect(noToken.status == 401 && noToken.errorCode == "unauthorized")
            let garbageToken = try await client.send(.get, "/api/v1/me", token: "abc.def.ghi")
            #expect(garbageToken.status == 401)
        }
    }

    @Test func errorsSpeakTheRequestedLanguageAndCarryARequestID() async throws {
        try await withAPI { client, _ in
            let vi = try await client.send(.get, "/api/v1/me", headers: [.acceptLanguage: "vi-VN,vi;q=0.9"])
            #expect(vi.string("error", "message")?.contains("đăng nhập") == true)
            #expect(vi.headers[.contentLanguage] == "vi")
            let en = try await client.send(.get, "/api/v1/me?lang=en", headers: [.acceptLanguage: "vi"])
            #expect(en.string("error", "message")?.contains("Authentication required") == true)
            #expect(en.headers[HTTPField.Name("X-Request-ID")!]?.isEmpty == false)
            let echoed = try await client.send(.get, "/healthz", headers: [HTTPField.Name("X-Request-ID")!: "trace-123"])
            #expect(echoed.headers[HTTPField.Name("X-Request-ID")!] == "trace-123")
        }
    }

    @Test func healthAndReadiness() async throws {
        try await withAPI { client, _ in
            let health = try await client.send(.get, "/healthz")
            #expect(health.status == 200)
            // Each check has 2 s; the first one also opens the pools' connections, which on a
            // machine loaded by the whole parallel suite can take longer: ask until it is ready.
            var ready = try await client.send(.get, "/readyz")
            let giveUp = ContinuousClock.now + .seconds(30)
            while ready.status != 200, ContinuousClock.now < giveUp {
                try await Task.sleep(for: .milliseconds(500))
                ready = try await client.send(.get, "/readyz")
            }
            #expect(ready.status == 200)
            #expect(ready.string("status") == "ready")
            #expect((ready.json["checks"] as? [String: String])?["redis"] == "ok")
        }
    }

    @Test func readinessFailsWhenRedisIsUnreachable() async throws {
        try await withAPI(["MATHFARM_REDIS_URL": "redis://127.0.0.1:1"]) { client, _ in
            let ready = try await client.send(.get, "/readyz")
            #expect(ready.status == 503)
            #expect((ready.json["checks"] as? [String: String])?["redis"] == "unreachable")
        }
    }
}

@Suite("Metrics")
struct MetricsTests {
    @Test func exposesLedgerGauges() async throws {
        try await withAPI { client, services in
            let user = try await makeCustomer(services)
            _ = try await services.ledger.credit(userID: user, amount: Money(dong: 10), reference: "m-\(user)", reason: "t", changedBy: "t")
            _ = try await services.ledger.placeHold(userID: user, amount: Money(dong: 4), reference: "mh-\(user)", expiresIn: .seconds(60), changedBy: "t")
            let metrics = try await client.send(.get, "/metrics")
            #expect(metrics.status == 200)
            let text = String(decoding: metrics.body, as: UTF8.self)
            #expect(text.contains("mathfarm_open_holds 1"))
            #expect(text.contains("mathfarm_outbox_backlog"))
        }
    }
}
