import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import AdminService
import Foundation
import Hummingbird
import HTTPTypes
import Logging
import MathFarmCore
import MathFarmHTTP
import PaymentService
import SandboxGateway
import ServiceLifecycle
import Testing

/// Top-ups end to end over real sockets: the API (live), the sandbox gateway (live), the
/// customer's browser played by an HTTP client that does not follow redirects.
@Suite("Deposits through the sandbox gateway", .serialized)
struct SandboxGatewayTests {
    /// The API over a real socket, with the same `send` shape as the router test client.
    struct LiveClient: Sendable {
        let base: String

        func send(_ method: HTTPRequest.Method, _ uri: String, json: String? = nil, token: String? = nil) async throws -> JSONResponse {
            var request = HTTPClientRequest(url: base + uri)
            request.method = HTTPMethod(rawValue: method.rawValue)
            if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
            if let json {
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(string: json))
            }
            let response = try await SandboxGatewayTests.noRedirects.execute(request, timeout: .seconds(10))
            let bytes = try await response.body.collect(upTo: 1 << 20)
            return JSONResponse(status: Int(response.status.code), headers: [:], body: Data(buffer: bytes))
        }
    }

    struct Setup: Sendable {
        let api: LiveClient
        let services: MathFarmServices
        let orders: SandboxOrders
        let sandboxBase: String
        let deposits: DepositConfiguration
        let apiPort: Int
    }

    /// API and sandbox wired to each other; `sandboxSecret` lets a test run a sandbox whose
    /// signatures the merchant rejects; `ipnReachable` false points VNPay's IPN at a URL that
    /// never gives an IPN answer (a 404), as if the merchant were unreachable.
    func withSandbox(sandboxSecret: String? = nil, ipnReachable: Bool = true, _ body: @escaping @Sendable (Setup) async throws -> Void) async throws {
        let sandboxPort = try PrivateRedis.freePort()
        let chosenAPIPort = try PrivateRedis.freePort()
        let sandboxBase = "http://127.0.0.1:\(sandboxPort)"
        let deposits = try DepositConfiguration(environment: EnvironmentReader([
            "MATHFARM_ENV": "development",
            "MATHFARM_PUBLIC_URL": "http://127.0.0.1:\(chosenAPIPort)",
            "MATHFARM_VNPAY_PAY_URL": "\(sandboxBase)/paymentv2/vpcpay.html",
            "MATHFARM_VNPAY_API_URL": "\(sandboxBase)/merchant_webapi/api/transaction",
            "MATHFARM_MOMO_API_URL": sandboxBase, "MATHFARM_ZALOPAY_API_URL": sandboxBase,
            "MATHFARM_DEPOSIT_TTL_SECONDS": "2",
        ]))
        let stack = try await TestStack.make(["LOG_LEVEL": "warning", "MATHFARM_HTTP_PORT": String(chosenAPIPort)])
        let services = try await stack.makeServices(deposits: deposits)
        let app = MathFarmApplication.application(services: services)
        let orders = SandboxOrders()
        let apiPort = chosenAPIPort
        var sandboxGateway = deposits
        if let sandboxSecret { sandboxGateway.vnpayHashSecret = sandboxSecret }
        let sandbox = try SandboxConfiguration(environment: EnvironmentReader([
            "MATHFARM_SANDBOX_PORT": String(sandboxPort),
            "MATHFARM_SANDBOX_VNPAY_IPN_URL": ipnReachable ? "http://127.0.0.1:\(apiPort)/api/v1/payments/vnpay/ipn" : "http://127.0.0.1:\(apiPort)/api/v1/nowhere",
            "MATHFARM_SANDBOX_BANK_WEBHOOK_URL": "http://127.0.0.1:\(apiPort)/api/v1/payments/bank/webhook",
            "MATHFARM_SANDBOX_RETRY_DELAY_MS": "50", "MATHFARM_SANDBOX_VNPAY_ATTEMPTS": "3", "MATHFARM_SANDBOX_MOMO_ATTEMPTS": "3",
        ]), gateway: sandboxGateway)
        let logger = Logger(label: "sandbox-test")
        let gateway = SandboxGatewayApplication.application(configuration: sandbox, orders: orders, logger: logger)
        // Both servers on real sockets at known ports, as in production.
        let group = ServiceGroup(configuration: .init(services: [app, gateway], logger: logger))
        let running = Task { try await group.run() }
        defer { running.cancel() }
        let api = LiveClient(base: "http://127.0.0.1:\(apiPort)")
        for _ in 0..<200 {
            if (try? await Self.get("\(sandboxBase)/healthz").status) == 200, (try? await Self.get("\(api.base)/healthz").status) == 200 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        try await services.auditLog.ensurePartitions()
        do {
            try await body(Setup(api: api, services: services, orders: orders, sandboxBase: sandboxBase, deposits: deposits, apiPort: apiPort))
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
        await group.triggerGracefulShutdown()
        _ = try? await running.value
    }

    static func get(_ url: String) async throws -> (status: Int, location: String?, body: String) {
        try await send(url, method: .GET)
    }

    static func send(_ url: String, method: HTTPMethod, body: String? = nil) async throws -> (status: Int, location: String?, body: String) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await noRedirects.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), response.headers.first(name: "Location"), String(buffer: bytes))
    }

    static let noRedirects = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

    func customer(_ setup: Setup) async throws -> (UUID, String) {
        let email = "s\(UUID().uuidString.prefix(8).lowercased())@example.vn"
        let registered = try await setup.api.send(.post, "/api/v1/auth/register", json: registerBody(email: email))
        let id = try #require(registered.string("user", "id").flatMap(UUID.init(uuidString:)))
        let login = try await setup.api.send(.post, "/api/v1/auth/login", json: #"{"email":"\#(email)","password":"correct-horse-1"}"#)
        return (id, try #require(login.string("access_token")))
    }

    func openDeposit(_ setup: Setup, _ token: String, method: String = "vnpay", amount: Int = 100_000) async throws -> (id: UUID, reference: String, url: String?) {
        let created = try await setup.api.send(.post, "/api/v1/deposits", json: #"{"method": "\#(method)", "amount": \#(amount)}"#, token: token)
        #expect(created.status == 201)
        return (try #require(created.string("deposit", "id").flatMap(UUID.init(uuidString:))), try #require(created.string("deposit", "reference")), created.string("payment", "payment_url"))
    }

    /// The merchant's answers as the sandbox recorded them, once `count` have arrived (the
    /// deposit can be updated a moment before the answer reaches the sandbox).
    func answers(_ setup: Setup, _ reference: String, count: Int = 1) async throws -> [String] {
        for _ in 0..<200 {
            let answers = await setup.orders.deliveryAnswers(reference)
            if answers.count >= count { return answers }
            try await Task.sleep(for: .milliseconds(50))
        }
        return await setup.orders.deliveryAnswers(reference)
    }

    func waitForStatus(_ setup: Setup, _ id: UUID, _ expected: TransactionStatus) async throws -> Bool {
        for _ in 0..<100 {
            if try await setup.services.ledger.deposit(id: id)?.status == expected { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    @Test func payAndCancelOnTheVNPayPage() async throws {
        try await withSandbox { setup in
            let (user, token) = try await customer(setup)
            let paid = try await openDeposit(setup, token)
            let page = try await Self.get(try #require(paid.url))
            #expect(page.status == 200 && page.body.contains(paid.reference))
            let decision = try await Self.send("\(setup.sandboxBase)/paymentv2/decide?ref=\(paid.reference)&action=pay", method: .POST)
            #expect(decision.status == 302)
            #expect(try await waitForStatus(setup, paid.id, .completed))
            #expect(try await answers(setup, paid.reference) == ["00"])
            #expect(try await setup.services.ledger.balance(of: user).available == Money(dong: 98_900))
            // The browser comes back to the return URL, which only shows the status.
            let location = try #require(decision.location.flatMap(URL.init(string:)))
            let back = try await setup.api.send(.get, location.path + "?" + (location.query ?? ""))
            #expect(back.status == 200 && back.string("status") == "completed")

            let cancelled = try await openDeposit(setup, token, amount: 20_000)
            _ = try await Self.get(try #require(cancelled.url))
            _ = try await Self.send("\(setup.sandboxBase)/paymentv2/decide?ref=\(cancelled.reference)&action=cancel", method: .POST)
            #expect(try await waitForStatus(setup, cancelled.id, .failed))
            #expect(try await setup.services.ledger.balance(of: user).available == Money(dong: 98_900))
            try await setup.services.outboxRelay.drain()
            #expect(try await setup.services.ledgerReconciler.check() == [])
        }
    }

    @Test func aPaymentURLSignedWithAnotherSecretIsRefused() async throws {
        try await withSandbox(sandboxSecret: "not-the-merchant-secret") { setup in
            let (user, token) = try await customer(setup)
            let deposit = try await openDeposit(setup, token)
            // The gateway knows another secret: "Sai chữ ký" (wrong signature), nothing is paid.
            #expect(try await Self.get(try #require(deposit.url)).status == 400)
            #expect(try await setup.services.ledger.balance(of: user).available == .zero)
        }
    }

    @Test func aLostIPNIsRecoveredByQuerydrAfterExpiry() async throws {
        try await withSandbox(ipnReachable: false) { setup in
            let (user, token) = try await customer(setup)
            let paid = try await openDeposit(setup, token)
            _ = try await Self.get(try #require(paid.url))
            _ = try await Self.send("\(setup.sandboxBase)/paymentv2/decide?ref=\(paid.reference)&action=pay", method: .POST)
            let neverOpened = try await openDeposit(setup, token, amount: 30_000)
            let abandoned = try await openDeposit(setup, token, amount: 40_000)
            _ = try await Self.get(try #require(abandoned.url))
            // Three IPN attempts without an answer, then VNPay gives up: the deposit is still pending.
            let recorded = try await answers(setup, paid.reference, count: 3)
            #expect(recorded == ["none", "none", "none"], "\(recorded)")
            #expect(try await setup.services.ledger.deposit(id: paid.id)?.status == .pending)
            try await Task.sleep(for: .milliseconds(2_200))  // past the 2 s deposit TTL
            #expect(try await setup.services.depositExpiry.sweep() == 3)
            #expect(try await setup.services.ledger.deposit(id: paid.id)?.status == .completed)
            #expect(try await setup.services.ledger.deposit(id: neverOpened.id)?.status == .expired)
            #expect(try await setup.services.ledger.deposit(id: abandoned.id)?.status == .expired)
            #expect(try await setup.services.ledger.balance(of: user).available == Money(dong: 98_900))
            #expect(try await setup.services.depositExpiry.sweep() == 0)
            try await setup.services.outboxRelay.drain()
            #expect(try await setup.services.ledgerReconciler.check() == [])
        }
    }

    @Test func momoWalletPaymentAndDecline() async throws {
        try await withSandbox { setup in
            let (user, token) = try await customer(setup)
            let paid = try await openDeposit(setup, token, method: "momo", amount: 50_000)
            let page = try await Self.get(try #require(paid.url))
            #expect(page.status == 200 && page.body.contains("MoMo"))
            let decision = try await Self.send("\(setup.sandboxBase)/momo/decide?orderId=\(paid.reference)&action=pay", method: .POST)
            #expect(decision.status == 302)
            #expect(try await waitForStatus(setup, paid.id, .completed))
            #expect(try await answers(setup, paid.reference) == ["204"])
            #expect(try await setup.services.ledger.balance(of: user).available == Money(dong: 49_250))  // 1.5% fee
            let location = try #require(decision.location.flatMap(URL.init(string:)))
            #expect(try await setup.api.send(.get, location.path + "?" + (location.query ?? "")).string("status") == "completed")

            let declined = try await openDeposit(setup, token, method: "momo", amount: 20_000)
            _ = try await Self.send("\(setup.sandboxBase)/momo/decide?orderId=\(declined.reference)&action=cancel", method: .POST)
            #expect(try await waitForStatus(setup, declined.id, .failed))
            #expect(try await setup.services.ledger.balance(of: user).available == Money(dong: 49_250))
        }
    }

    @Test func zaloPayPaymentAndQueryAfterExpiry() async throws {
        try await withSandbox { setup in
            let (user, token) = try await customer(setup)
            let paid = try await openDeposit(setup, token, method: "zalopay", amount: 10_000)
            #expect(try await Self.get(try #require(paid.url)).status == 200)
            let decision = try await Self.send("\(setup.sandboxBase)/zalopay/decide?apptransid=\(ZaloPayClient.appTransID(reference: paid.reference, createdAt: Date()))&action=pay", method: .POST)
            #expect(decision.status == 302)
            #expect(try await waitForStatus(setup, paid.id, .completed))
            #expect(try await answers(setup, paid.reference) == ["1"])
            #expect(try await setup.services.ledger.balance(of: user).available == Money(dong: 9_900))  // 1% fee
            // A cancelled order gets no callback: the query after expiry closes it.
            let cancelled = try await openDeposit(setup, token, method: "zalopay", amount: 30_000)
            _ = try await Self.send("\(setup.sandboxBase)/zalopay/decide?apptransid=\(ZaloPayClient.appTransID(reference: cancelled.reference, createdAt: Date()))&action=cancel", method: .POST)
            try await Task.sleep(for: .milliseconds(2_200))
            #expect(try await setup.services.depositExpiry.sweep() == 1)
            #expect(try await setup.services.ledger.deposit(id: cancelled.id)?.status == .expired)
            try await setup.services.outboxRelay.drain()
            #expect(try await setup.services.ledgerReconciler.check() == [])
        }
    }

    func pay(_ setup: Setup, _ token: String, method: String, amount: Int) async throws -> (id: UUID, reference: String) {
        let deposit = try await openDeposit(setup, token, method: method, amount: amount)
        switch method {
        case "vnpay":
            _ = try await Self.get(try #require(deposit.url))
            _ = try await Self.send("\(setup.sandboxBase)/paymentv2/decide?ref=\(deposit.reference)&action=pay", method: .POST)
        case "momo":
            _ = try await Self.send("\(setup.sandboxBase)/momo/decide?orderId=\(deposit.reference)&action=pay", method: .POST)
        default:
            _ = try await Self.send("\(setup.sandboxBase)/zalopay/decide?apptransid=\(ZaloPayClient.appTransID(reference: deposit.reference, createdAt: Date()))&action=pay", method: .POST)
        }
        #expect(try await waitForStatus(setup, deposit.id, .completed))
        return (deposit.id, deposit.reference)
    }

    @Test func staffRefundsThroughEachGateway() async throws {
        try await withSandbox { setup in
            let (user, token) = try await customer(setup)
            try await makeStaff(setup.services, username: "refunder", permissions: [.paymentsRefund])
            let staff = try #require(try await setup.api.send(.post, "/api/v1/admin/auth/login", json: #"{"username":"refunder","password":"staff-password-1"}"#).string("access_token"))
            for method in ["vnpay", "momo", "zalopay"] {
                let paid = try await pay(setup, token, method: method, amount: 100_000)
                let refund = try await setup.api.send(.post, "/api/v1/admin/deposits/\(paid.id)/refund", json: #"{"reason": "customer request"}"#, token: staff)
                #expect(refund.status == 200 && refund.string("refund") == "confirmed", "\(method): \(String(decoding: refund.body, as: UTF8.self))")
                #expect(refund.string("deposit", "status") == "refunded")
                #expect(await setup.orders.order(paid.reference)?.state == .refunded, "\(method)")
                let again = try await setup.api.send(.post, "/api/v1/admin/deposits/\(paid.id)/refund", json: #"{"reason": "twice"}"#, token: staff)
                #expect(again.status == 409 && again.errorCode == "deposit_not_refundable")
                #expect(try await setup.services.ledger.balance(of: user).available == .zero, "\(method)")
                #expect(try await setup.services.auditLog.count(entity: .transaction, entityID: paid.id, action: .refund) == 1)
            }
            try await setup.services.outboxRelay.drain()
            #expect(try await setup.services.ledgerReconciler.check() == [])
        }
    }

    @Test func refundsThatCannotOrMayNotHappen() async throws {
        try await withSandbox { setup in
            let (user, token) = try await customer(setup)
            try await makeStaff(setup.services, username: "refunder2", permissions: [.paymentsRefund])
            let staff = try #require(try await setup.api.send(.post, "/api/v1/admin/auth/login", json: #"{"username":"refunder2","password":"staff-password-1"}"#).string("access_token"))
            // Spent part of it: the wallet no longer covers the refund.
            let paid = try await pay(setup, token, method: "vnpay", amount: 100_000)
            _ = try await setup.services.ledger.debit(userID: user, amount: Money(dong: 50_000), reference: "spend-\(user)", reason: "test", changedBy: "test")
            let tooBig = try await setup.api.send(.post, "/api/v1/admin/deposits/\(paid.id)/refund", json: #"{"reason": "x"}"#, token: staff)
            #expect(tooBig.status == 409 && tooBig.errorCode == "refund_exceeds_balance")
            #expect(try await setup.services.ledger.balance(of: user).available == Money(dong: 48_900))
            #expect(try await setup.services.ledger.deposit(id: paid.id)?.status == .completed)

            // The gateway does not know the payment: refused, and the money comes back.
            let unknown = try await setup.services.ledger.openDeposit(userID: user, method: "vnpay", amount: Money(dong: 20_000), fee: .zero, reference: "MFUNKNOWNATVNPAY", expiresIn: .seconds(900), description: "t", changedBy: "t")
            _ = try await setup.services.ledger.completeDeposit(reference: unknown.reference, amount: unknown.amount, externalID: "123", reason: "t", changedBy: "t")
            let refused = try await setup.api.send(.post, "/api/v1/admin/deposits/\(unknown.id)/refund", json: #"{"reason": "x"}"#, token: staff)
            #expect(refused.status == 502 && refused.errorCode == "gateway_refused")
            #expect(try await setup.services.ledger.balance(of: user).available == Money(dong: 68_900))
            #expect(try await setup.services.ledger.deposit(id: unknown.id)?.status == .completed)

            // No answer from the gateway: the refund stays requested, and the retry settles it.
            let second = try await pay(setup, token, method: "momo", amount: 10_000)
            var silent = setup.deposits
            silent.momoAPIURL = "http://127.0.0.1:\(setup.apiPort)/api/v1/nowhere"
            let refunds = DepositRefunds(ledger: setup.services.ledger, configuration: silent, audit: { _ in }, logger: Logger(label: "t"))
            let pending = try await refunds.refund(depositID: second.id, staffID: UUID(), reason: "x")
            #expect(pending.refund == "requested")
            #expect(try await setup.services.ledger.refundState(reference: second.reference) == .requested)
            #expect(try await setup.services.depositRefunds.retryUnconfirmed(olderThan: .zero) == 1)
            #expect(try await setup.services.ledger.refundState(reference: second.reference) == .confirmed)
            #expect(await setup.orders.order(second.reference)?.state == .refunded)
            try await setup.services.outboxRelay.drain()
            #expect(try await setup.services.ledgerReconciler.check() == [])
        }
    }

    @Test func aBankTransferFromTheSandboxBank() async throws {
        try await withSandbox { setup in
            let (user, token) = try await customer(setup)
            let deposit = try await openDeposit(setup, token, method: "qr_code", amount: 75_000)
            let transfer = try await Self.send("\(setup.sandboxBase)/bank/transfer", method: .POST, body: "memo=IBFT+\(deposit.reference)+nap+tien&amount=75000")
            #expect(transfer.status == 200)
            #expect(try await waitForStatus(setup, deposit.id, .completed))
            #expect(try await setup.services.ledger.balance(of: user).available == Money(dong: 75_000))
        }
    }
}
