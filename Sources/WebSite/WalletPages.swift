import Foundation
import Hummingbird
import MathFarmCore
import NIOCore
import PaymentService
import SolverService
import UserService

/// The wallet (balance and transactions, from the ledger itself), top-up (a deposit opened
/// through `DepositService` exactly as `POST /api/v1/deposits` opens it, then the gateway) and
/// the deposit's page the gateway sends the browser back to.
struct WalletPages: Sendable {
    let ledger: Ledger
    let catalog: ProblemCatalog
    let deposits: DepositService
    let methods: PaymentMethods
    let settings: SettingsCache
    let renderer: PageRenderer
    let trustProxy: Bool
    let cookies: SiteCookies

    struct TransactionRow: Sendable {
        let date: String
        let type: String
        let detail: String?
        /// The solution a solve charge paid for.
        let href: String?
        let status: String
        let amount: String
        let direction: String
    }

    struct WalletView: Sendable {
        let available: String
        let held: String
        let totalDeposited: String
        let totalSpent: String
        let items: [TransactionRow]
        let hasItems: Bool
        let pager: Pager?
    }

    struct MethodChoice: Sendable {
        let code: String
        let name: String
        let note: String
        let checked: Bool
    }

    struct TopUpView: Sendable {
        let action: String
        let submission: String
        let balance: String
        let methods: [MethodChoice]
        let amount: String
        let amountHint: String
        let formError: String?
        let methodError: String?
        let amountError: String?
    }

    struct BankView: Sendable {
        let qrURL: String
        let bin: String
        let account: String
        let accountName: String
        let content: String
    }

    struct DepositView: Sendable {
        let reference: String
        let status: String
        let statusLabel: String
        let method: String
        let createdAt: String
        let amount: String
        let fee: String
        let net: String
        let pending: Bool
        let pollURL: String
        let bank: BankView?
        let completed: Bool
        let completedText: String
        let closed: Bool
        let closedText: String
    }

    func register(on pages: PageRoutes) {
        pages.get(.wallet) { request, context, visitor in
            let session = try visitor.requireSession(returnTo: .wallet)
            return try await walletPage(request, context, visitor, session: session)
        }
        pages.get(.topUp) { request, context, visitor in
            let session = try visitor.requireSession(returnTo: .topUp)
            let amount = request.uri.queryParameters.get("amount").map { String($0.prefix(20)) } ?? ""
            return try await topUpPage(request, context, visitor, session: session, selected: nil, amount: amount, errors: TopUpErrors(), status: .ok)
        }
        pages.post(.topUp) { request, context, visitor, form in
            try await openDeposit(request, context, visitor, form: form)
        }
        pages.get(.deposit) { request, context, visitor in
            let id = try PageRoutes.id(context, "deposit")
            let session = try visitor.requireSession(returnTo: .deposit(id))
            let deposit = try await deposits.deposit(id: id, userID: session.userID)
            return try await depositPage(request, context, visitor, deposit: deposit)
        }
        pages.get(.depositStatus) { request, context, visitor in
            let id = try PageRoutes.id(context, "deposit")
            guard let session = visitor.session else { throw APIError.unauthorized }
            let wait = request.uri.queryParameters.get("wait").flatMap(Int.init).map { min(max($0, 0), 10) } ?? 0
            let deadline = ContinuousClock.now + .seconds(wait)
            var deposit = try await deposits.deposit(id: id, userID: session.userID)
            while deposit.status == .pending, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(250))
                deposit = try await deposits.deposit(id: id, userID: session.userID)
            }
            return try HTMLResponse.json(PollAnswer(status: deposit.status.rawValue, terminal: deposit.status != .pending), context: context)
        }
        pages.get(.depositQR) { request, context, visitor in
            let id = try PageRoutes.id(context, "deposit")
            guard let session = visitor.session else { throw APIError.unauthorized }
            let deposit = try await deposits.deposit(id: id, userID: session.userID)
            guard let payload = deposits.bankInstructions(for: deposit)?.qrPayload, let svg = QRCodeSVG.svg(for: payload) else {
                throw APIError.notFound("qr")
            }
            return Response(
                status: .ok,
                headers: [.contentType: "image/svg+xml", .cacheControl: "private, max-age=3600", .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'"],
                body: .init(byteBuffer: ByteBuffer(string: svg))
            )
        }
    }

    /// Opens the deposit exactly as `POST /api/v1/deposits` does (the form's nonce as its
    /// Idempotency-Key, so a form sent twice opens one deposit), then sends the browser on.
    func openDeposit(_ request: Request, _ context: AppRequestContext, _ visitor: Visitor, form: FormFields) async throws -> Response {
        let session = try visitor.requireSession(returnTo: .topUp)
        let language = visitor.language
        let methodCode = form.trimmed("method")
        let amountText = form.trimmed("amount") ?? ""
        func again(_ errors: TopUpErrors, _ status: HTTPResponse.Status) async throws -> Response {
            try await topUpPage(request, context, visitor, session: session, selected: methodCode, amount: amountText, errors: errors, status: status)
        }
        guard await settings.bool("maintenance_mode") != true else {
            return try await again(TopUpErrors(form: UIText.text("error503Message", language)), .serviceUnavailable)
        }
        guard let methodCode else {
            return try await again(TopUpErrors(method: UIText.text("methodMissing", language)), .unprocessableContent)
        }
        guard let dong = Self.dong(amountText) else {
            return try await again(TopUpErrors(amount: UIText.text("amountInvalid", language)), .unprocessableContent)
        }
        let submission = form["submission"].flatMap { (20...64).contains($0.count) ? $0 : nil } ?? SecretToken.generate()
        let client = RequestMetadata(request: request, context: context, trustProxy: trustProxy)
        let created: CreatedDeposit
        do {
            let stored = try await deposits.create(
                userID: session.userID, body: ByteBuffer(bytes: try JSONBody.encode(DepositBody(method: methodCode, amount: dong))),
                clientIP: client.validClientIP, idempotencyKey: "web:" + submission
            )
            created = try JSONDecoder().decode(CreatedDeposit.self, from: stored.body)
        } catch let error as APIError where error.status.code < 500 || error.status == .badGateway || error.status == .serviceUnavailable {
            let message = error.message.text(in: language)
            switch error.details?["field"] {
            case "amount": return try await again(TopUpErrors(amount: message), error.status)
            case "method": return try await again(TopUpErrors(method: message), error.status)
            default: return try await again(TopUpErrors(form: message), error.status)
            }
        }
        // Gateways: on to the payment page, which sends the browser back to the deposit's page
        // (in this language: the cookie). Bank transfer / VietQR: the deposit's page shows the
        // code to scan.
        let target = created.payment.paymentURL ?? SitePage.deposit(created.deposit.id).path(language)
        return HTMLResponse.redirect(to: target, cookies: [cookies.language(language)], context: context)
    }

    struct TopUpErrors: Sendable {
        var form: String?
        var method: String?
        var amount: String?
    }

    struct DepositBody: Encodable {
        let method: String
        let amount: Int64
    }

    /// The part of `POST /api/v1/deposits`' answer the page needs.
    struct CreatedDeposit: Decodable {
        struct Opened: Decodable { let id: UUID }
        struct Payment: Decodable {
            let paymentURL: String?
            enum CodingKeys: String, CodingKey { case paymentURL = "payment_url" }
        }
        let deposit: Opened
        let payment: Payment
    }

    /// A whole number of dong as people type it: "50000", "50.000", "50,000", "50 000 ₫".
    static func dong(_ text: String) -> Int64? {
        let digits = text.filter { !" .,₫đ\u{00A0}".contains($0) }.replacingOccurrences(of: "VND", with: "", options: .caseInsensitive)
        guard !digits.isEmpty, digits.count <= 12, digits.allSatisfy(\.isASCIIDigit) else { return nil }
        return Int64(digits)
    }

    func walletPage(_ request: Request, _ context: AppRequestContext, _ visitor: Visitor, session: BrowserSession) async throws -> Response {
        let language = visitor.language
        let balance = try await ledger.balance(of: session.userID)
        let pageNumber = Pager.pageNumber(request.uri.queryParameters.get("page"))
        let (items, total) = try await ledger.transactions(of: session.userID, limit: Pager.pageSize, offset: (pageNumber - 1) * Pager.pageSize)
        let names = Dictionary(try await catalog.problems(includeInactive: true).map { ($0.code, ContentPages.localized($0.name, language)) }, uniquingKeysWith: { a, _ in a })
        let rows = items.map { item -> TransactionRow in
            let credit = item.type == .deposit || item.type == .refund || (item.type == .adjustment && item.amount.minorUnits > 0)
            let shown = item.type == .deposit ? item.netAmount : Money(minorUnits: Int64(item.amount.minorUnits.magnitude))
            var detail = item.type == .deposit ? item.referenceCode : item.description
            var href: String?
            // A solve charge's reference is `solve-<job id>` and its description starts with the
            // problem code: shown as the problem's name, linked to the solution.
            if item.type == .solveCharge, let reference = item.referenceCode, reference.hasPrefix("solve-"),
               let job = UUID(uuidString: String(reference.dropFirst("solve-".count))) {
                href = SitePage.solution(job).path(language)
                detail = item.description.flatMap { $0.split(separator: " ").first }.flatMap { names[String($0)] } ?? detail
            }
            return TransactionRow(
                date: Formatting.dateTime(item.createdAt, language), type: UIText.text("txtype." + item.type.rawValue, language),
                detail: detail, href: href, status: UIText.text("txstatus." + item.status.rawValue, language),
                amount: (credit ? "+" : "−") + Formatting.money(shown, language), direction: credit ? "credit" : "debit"
            )
        }
        let view = WalletView(
            available: Formatting.money(balance.available, language), held: Formatting.money(balance.held, language),
            totalDeposited: Formatting.money(balance.totalDeposited, language), totalSpent: Formatting.money(balance.totalSpent, language),
            items: rows, hasItems: !rows.isEmpty,
            pager: Pager(base: SitePage.wallet.path(language), filters: [:], page: pageNumber, total: total, language: language)
        )
        let spec = PageSpec(template: "wallet", page: .wallet, title: UIText.text("walletTitle", language) + " · MathFarm")
        return try await renderer.render(spec, content: view, visitor: visitor, request: request, context: context)
    }

    func topUpPage(
        _ request: Request, _ context: AppRequestContext, _ visitor: Visitor, session: BrowserSession, selected: String?, amount: String,
        errors: TopUpErrors, status: HTTPResponse.Status
    ) async throws -> Response {
        let language = visitor.language
        let active = try await methods.active()
        let choices = active.map { method in
            let percent = Self.feePercent(method.feePercentage)
            let note = percent == "0" ? UIText.text("noFee", language)
                : UIText.text("feeNote", language).replacingOccurrences(of: "%@", with: Formatting.decimal(percent, language) + "%")
            return MethodChoice(code: method.code, name: ContentPages.localized(method.name, language), note: note, checked: method.code == (selected ?? active.first?.code))
        }
        let low = active.map(\.minAmount).min() ?? Money(dong: 10_000)
        let high = active.map(\.maxAmount).max() ?? Money(dong: 50_000_000)
        let formattedHint = UIText.text("amountHint", language)
            .replacingOccurrences(of: "%min", with: Formatting.money(low, language)).replacingOccurrences(of: "%max", with: Formatting.money(high, language))
        let view = TopUpView(
            action: SitePage.topUp.path(language), submission: SecretToken.generate(),
            balance: Formatting.money(try await ledger.balance(of: session.userID).available, language), methods: choices, amount: amount.isEmpty ? "50000" : amount,
            amountHint: formattedHint, formError: errors.form, methodError: errors.method, amountError: errors.amount
        )
        var spec = PageSpec(template: "topup", page: .topUp, title: UIText.text("topUpTitle", language) + " · MathFarm")
        spec.status = status
        return try await renderer.render(spec, content: view, visitor: visitor, request: request, context: context)
    }

    /// "0.0110" (a fraction, as stored) → "1.1" (percent).
    static func feePercent(_ fraction: String) -> String {
        let parts = fraction.split(separator: ".", omittingEmptySubsequences: false)
        let whole = Int(parts.first ?? "0") ?? 0
        let digits = (parts.count > 1 ? String(parts[1]) : "").padding(toLength: 4, withPad: "0", startingAt: 0)
        let hundredths = whole * 10_000 + (Int(digits.prefix(4)) ?? 0)  // percent × 100
        let integer = hundredths / 100, rest = hundredths % 100
        if rest == 0 { return String(integer) }
        return rest % 10 == 0 ? "\(integer).\(rest / 10)" : "\(integer).\(rest < 10 ? "0" : "")\(rest)"
    }

    func depositPage(_ request: Request, _ context: AppRequestContext, _ visitor: Visitor, deposit: Deposit) async throws -> Response {
        let language = visitor.language
        let methodName = try await methods.method(deposit.method).map { ContentPages.localized($0.name, language) } ?? deposit.method
        var bank: BankView?
        if deposit.status == .pending, let instructions = deposits.bankInstructions(for: deposit) {
            bank = BankView(
                qrURL: SitePage.depositQR(deposit.id).path(language), bin: instructions.bankBIN ?? "", account: instructions.bankAccount ?? "",
                accountName: instructions.bankAccountName ?? "", content: instructions.transferContent ?? deposit.reference
            )
        }
        let closedKey: String
        switch deposit.status {
        case .expired: closedKey = "depositExpired"
        case .refunded: closedKey = "depositRefunded"
        default: closedKey = "depositFailed"
        }
        let view = DepositView(
            reference: deposit.reference, status: deposit.status.rawValue, statusLabel: UIText.text("depstatus." + deposit.status.rawValue, language),
            method: methodName, createdAt: Formatting.dateTime(deposit.createdAt, language), amount: Formatting.money(deposit.amount, language),
            fee: Formatting.money(deposit.fee, language), net: Formatting.money(deposit.netAmount, language),
            pending: deposit.status == .pending, pollURL: SitePage.depositStatus(deposit.id).path(language), bank: bank,
            completed: deposit.status == .completed,
            completedText: UIText.text("depositCompleted", language).replacingOccurrences(of: "%@", with: Formatting.money(deposit.netAmount, language)),
            closed: deposit.status != .pending && deposit.status != .completed, closedText: UIText.text(closedKey, language)
        )
        var spec = PageSpec(template: "deposit", page: .deposit(deposit.id), title: UIText.text("depositTitle", language) + " · MathFarm")
        spec.refreshSeconds = deposit.status == .pending && bank == nil ? 3 : (deposit.status == .pending ? 15 : nil)
        return try await renderer.render(spec, content: view, visitor: visitor, request: request, context: context)
    }
}
