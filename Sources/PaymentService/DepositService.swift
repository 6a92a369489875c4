import Crypto
import Foundation
import Logging
import MathFarmCore
import NIOCore

/// Deposits end to end: opening one (limits, fee, a pending transaction, what the client needs
/// to pay) and applying the gateways' notifications, each verified over the raw received values
/// and applied through the ledger's guarded `pending → x` transition, so a notification repeated
/// or raced changes the balance once, and a forged one changes nothing (and is audited).
public struct DepositService: Sendable {
    public typealias Audit = @Sendable (DepositAuditEvent) async -> Void

    let ledger: Ledger
    let methods: PaymentMethods
    let configuration: DepositConfiguration
    let idempotency: IdempotencyStore
    let audit: Audit
    let logger: Logger
    let momo: MoMoClient
    let zaloPay: ZaloPayClient

    public init(ledger: Ledger, methods: PaymentMethods, configuration: DepositConfiguration, idempotency: IdempotencyStore, audit: @escaping Audit, logger: Logger) {
        self.ledger = ledger
        self.methods = methods
        self.configuration = configuration
        self.idempotency = idempotency
        self.audit = audit
        self.logger = logger
        self.momo = MoMoClient(configuration: configuration)
        self.zaloPay = ZaloPayClient(configuration: configuration)
    }

    // MARK: Opening a deposit

    struct CreateBody: Decodable {
        let method: String
        let amount: Money
    }

    /// What the client needs to pay, per method.
    public struct Instructions: Encodable, Sendable {
        public var paymentURL: String?
        public var qrPayload: String?
        public var bankBIN: String?
        public var bankAccount: String?
        public var bankAccountName: String?
        public var transferContent: String?
        public var amount: Money

        enum CodingKeys: String, CodingKey {
            case amount
            case paymentURL = "payment_url"
            case qrPayload = "qr_payload"
            case bankBIN = "bank_bin"
            case bankAccount = "bank_account"
            case bankAccountName = "bank_account_name"
            case transferContent = "transfer_content"
        }
    }

    struct Created: Encodable {
        let deposit: Deposit
        let payment: Instructions
    }

    /// `POST /api/v1/deposits`; the response is stored under the Idempotency-Key when one came.
    public func create(userID: UUID, body raw: ByteBuffer, clientIP: String?, idempotencyKey: String?) async throws -> IdempotencyStore.StoredResponse {
        let body = try JSONBody.decode(CreateBody.self, from: raw)
        guard let key = idempotencyKey else {
            return try await open(userID: userID, body: body, clientIP: clientIP, reference: Self.newReference())
        }
        let scope = "deposit:\(userID.uuidString.lowercased())"
        return try await idempotency.run(scope: scope, key: key, requestBody: raw) {
            // Derived from the key, so a retry after a crash finds the same deposit.
            try await open(userID: userID, body: body, clientIP: clientIP, reference: Self.reference(scope: scope, key: key))
        }
    }

    private func open(userID: UUID, body: CreateBody, clientIP: String?, reference: String) async throws -> IdempotencyStore.StoredResponse {
        guard configuration.isMethodEnabled(body.method), let method = try await methods.method(body.method) else {
            throw APIError(.unprocessableContent, code: "unknown_payment_method", vi: "Phương thức thanh toán không khả dụng.", en: "This payment method is not available.", details: ["field": "method"])
        }
        guard body.amount.minorUnits % 100 == 0 else {
            throw APIError.invalidField("amount", vi: "Số tiền nạp phải là số đồng nguyên.", en: "A deposit is a whole number of dong.")
        }
        guard body.amount >= method.minAmount, body.amount <= method.maxAmount else {
            throw APIError.invalidField("amount", vi: "Số tiền nạp phải từ \(method.minAmount) đến \(method.maxAmount) VND.", en: "The amount must be between \(method.minAmount) and \(method.maxAmount) VND.")
        }
        let deposit = try await ledger.openDeposit(
            userID: userID, method: method.code, amount: body.amount, fee: method.fee(on: body.amount), reference: reference,
            expiresIn: configuration.depositTTL, description: "Nap tien \(reference)", changedBy: "api"
        )
        let instructions: Instructions
        switch method.code {
        case "vnpay":
            instructions = Instructions(paymentURL: try vnpayURL(deposit, clientIP: clientIP), amount: deposit.amount)
        case "momo":
            let outcome = await momo.create(
                reference: reference, amountDong: deposit.amount.minorUnits / 100, orderInfo: "Nap tien MathFarm \(reference)",
                redirectURL: "\(configuration.publicURL)/api/v1/payments/momo/return", ipnURL: "\(configuration.publicURL)/api/v1/payments/momo/ipn"
            )
            instructions = Instructions(paymentURL: try await gatewayURL(outcome.url, refused: outcome.refusal, deposit: deposit, gateway: "momo"), amount: deposit.amount)
        case "zalopay":
            let outcome = await zaloPay.create(
                reference: reference, createdAt: deposit.createdAt, userID: userID, amountDong: deposit.amount.minorUnits / 100,
                description: "MathFarm - Nap tien \(reference)", redirectURL: "\(configuration.publicURL)/api/v1/payments/zalopay/return",
                callbackURL: "\(configuration.publicURL)/api/v1/payments/zalopay/callback"
            )
            instructions = Instructions(paymentURL: try await gatewayURL(outcome.url, refused: outcome.refusal, deposit: deposit, gateway: "zalopay"), amount: deposit.amount)
        case "bank_transfer", "qr_code":
            guard let bank = bankInstructions(for: deposit) else { throw APIError.internalError }
            instructions = bank
        default:
            throw APIError(.unprocessableContent, code: "unknown_payment_method", vi: "Phương thức thanh toán không khả dụng.", en: "This payment method is not available.", details: ["field": "method"])
        }
        return IdempotencyStore.StoredResponse(status: 201, body: try JSONBody.encode(Created(deposit: deposit, payment: instructions)))
    }

    /// How to pay a bank-transfer or VietQR deposit: the account, the memo (the deposit's
    /// reference, which the bank webhook matches) and the VietQR payload; nil for the gateways.
    public func bankInstructions(for deposit: Deposit) -> Instructions? {
        guard deposit.method == "bank_transfer" || deposit.method == "qr_code" else { return nil }
        return Instructions(
            qrPayload: VietQR.payload(bankBIN: configuration.bankBIN, account: configuration.bankAccount, amount: deposit.amount.minorUnits / 100, purpose: deposit.reference),
            bankBIN: configuration.bankBIN, bankAccount: configuration.bankAccount, bankAccountName: configuration.bankAccountName,
            transferContent: deposit.reference, amount: deposit.amount
        )
    }

    /// The gateway's payment URL, or the error to answer: a refusal fails the deposit; no
    /// answer leaves it pending for the expiry sweep to ask about.
    private func gatewayURL(_ url: String?, refused: (code: Int, message: String)?, deposit: Deposit, gateway: String) async throws -> String {
        if let url { return url }
        if let refused {
            _ = try await ledger.closeDeposit(reference: deposit.reference, as: .failed, amount: nil, externalID: nil, reason: "\(gateway) refused the order: \(refused.code) \(refused.message)", changedBy: "api")
            throw APIError(.badGateway, code: "gateway_refused", vi: "Cổng thanh toán từ chối giao dịch (\(refused.code)).", en: "The payment gateway refused the order (\(refused.code)).")
        }
        throw APIError(.badGateway, code: "gateway_unavailable", vi: "Không liên lạc được cổng thanh toán; thử lại sau.", en: "The payment gateway could not be reached; try again later.")
    }

    /// The signed VNPay 2.1.0 payment URL (times in GMT+7; amount in VND × 100).
    func vnpayURL(_ deposit: Deposit, clientIP: String?) throws -> String {
        guard let secret = GatewaySignature.usable(configuration.vnpayHashSecret) else { throw APIError.gatewayDisabled }
        let now = Date()
        var fields = [
            "vnp_Version": "2.1.0", "vnp_Command": "pay", "vnp_TmnCode": configuration.vnpayTmnCode,
            "vnp_Amount": String(deposit.amount.minorUnits), "vnp_CurrCode": "VND", "vnp_TxnRef": deposit.reference,
            "vnp_OrderInfo": "Nap tien MathFarm \(deposit.reference)", "vnp_OrderType": "other", "vnp_Locale": "vn",
            "vnp_ReturnUrl": "\(configuration.publicURL)/api/v1/payments/vnpay/return", "vnp_IpAddr": clientIP ?? "127.0.0.1",
            "vnp_CreateDate": VNPayProtocol.timestamp(now),
        ]
        fields["vnp_ExpireDate"] = VNPayProtocol.timestamp(deposit.expiresAt ?? now.addingTimeInterval(900))
        return VNPayProtocol.paymentURL(base: configuration.vnpayPayURL, fields: fields, secret: secret)
    }

    /// 16 characters, letters and digits only: valid as a VNPay TxnRef, a MoMo orderId, in a
    /// ZaloPay app_trans_id and in a bank transfer's memo (VietQR 62/08).
    static func newReference() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return "MF" + String((0..<14).map { _ in alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))] })
    }

    static func reference(scope: String, key: String) -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        let digest = Array(SHA256.hash(data: Data((scope + "\n" + key).utf8)))
        return "MF" + String(digest.prefix(14).map { alphabet[Int($0) % alphabet.count] })
    }

    public func deposit(id: UUID, userID: UUID) async throws -> Deposit {
        guard let deposit = try await ledger.deposit(id: id), deposit.userID == userID else { throw APIError.notFound("deposit") }
        return deposit
    }

    // MARK: Notifications

    /// Applies a verified notification whose merchant, order and amount the caller has already
    /// matched against `deposit`. `succeeded` false records a failure.
    func apply(gateway: String, deposit: Deposit, externalID: String?, succeeded: Bool, detail: String) async throws -> DepositTransition {
        let transition = succeeded
            ? try await ledger.completeDeposit(reference: deposit.reference, amount: deposit.amount, externalID: externalID, reason: "\(gateway): \(detail)", changedBy: gateway)
            : try await ledger.closeDeposit(reference: deposit.reference, as: .failed, amount: deposit.amount, externalID: externalID, reason: "\(gateway): \(detail)", changedBy: gateway)
        switch transition {
        case .moved(let status), .alreadyResolved(let status):
            // A repeat re-offers the audit entry: recorded once per deposit, so a crash between
            // the ledger commit and the audit write is healed by the gateway's retry.
            if status == .completed || status == .failed {
                await audit(DepositAuditEvent(kind: status == .completed ? .completed : .failed, depositID: deposit.id, reference: deposit.reference, gateway: gateway, detail: detail))
            }
        case .amountMismatch, .notFound:
            break  // the caller matched both already
        }
        return transition
    }

    /// Records a refused notification. `reference` is whatever the sender wrote (unverified when
    /// the signature failed): it is cut to 64 characters and escaped for the log.
    func reject(gateway: String, reference: String?, detail: String) async {
        let reference = reference.map { String($0.prefix(64)) }
        logger.warning("deposit notification rejected", metadata: ["gateway": "\(gateway)", "reference": "\(EscapingLogHandler.escape(reference ?? "-"))", "detail": "\(EscapingLogHandler.escape(detail))"])
        await audit(DepositAuditEvent(kind: .rejected, depositID: nil, reference: reference, gateway: gateway, detail: detail))
    }

    /// Whether the gateway has credentials here (its endpoints answer 503 `gateway_disabled` otherwise).
    public func isEnabled(_ gateway: DepositConfiguration.Gateway) -> Bool {
        configuration.isEnabled(gateway)
    }

    /// VNPay IPN (GET): the answer VNPay expects, checks in its documented order.
    public func vnpayIPN(rawQuery: String) async -> VNPayProtocol.IPNAnswer {
        do {
            guard let fields = VNPayProtocol.parseQuery(rawQuery), VNPayProtocol.verify(fields, secret: configuration.vnpayHashSecret) else {
                await reject(gateway: "vnpay", reference: VNPayProtocol.parseQuery(rawQuery)?["vnp_TxnRef"], detail: "invalid signature")
                return .invalidSignature
            }
            guard fields["vnp_TmnCode"] == configuration.vnpayTmnCode, let reference = fields["vnp_TxnRef"],
                  let deposit = try await ledger.deposit(reference: reference), deposit.method == "vnpay" else {
                return .orderNotFound
            }
            guard let raw = fields["vnp_Amount"], let amount = Money(minorUnitDigits: raw), amount == deposit.amount else {
                await reject(gateway: "vnpay", reference: reference, detail: "amount \(fields["vnp_Amount"] ?? "-") (×100) does not match")
                return .invalidAmount
            }
            let succeeded = fields["vnp_ResponseCode"] == "00" && fields["vnp_TransactionStatus"] == "00"
            let transition = try await apply(
                gateway: "vnpay", deposit: deposit, externalID: fields["vnp_TransactionNo"].flatMap { $0 == "0" ? nil : $0 },
                succeeded: succeeded, detail: "response \(fields["vnp_ResponseCode"] ?? "-"), status \(fields["vnp_TransactionStatus"] ?? "-")"
            )
            switch transition {
            case .moved: return .confirmed
            case .alreadyResolved: return .alreadyConfirmed
            case .notFound: return .orderNotFound
            case .amountMismatch: return .invalidAmount
            }
        } catch {
            logger.error("VNPay IPN failed", metadata: ["error": "\(error)"])
            return .unknownError
        }
    }

    /// MoMo IPN (POST JSON). Returns the HTTP status to answer: 204 once recorded (also for a
    /// repeat), 400 for a bad signature or a mismatch, 404 for an unknown order, 500 to be retried.
    public func momoIPN(body: ByteBuffer) async -> Int {
        guard let notification = try? JSONBody.decode(MoMoProtocol.Notification.self, from: body, allowingUnknownFields: true) else { return 400 }
        guard MoMoProtocol.verify(notification, accessKey: configuration.momoAccessKey, secretKey: configuration.momoSecretKey),
              notification.partnerCode == configuration.momoPartnerCode else {
            await reject(gateway: "momo", reference: notification.orderId, detail: "invalid signature or partner")
            return 400
        }
        do {
            guard let deposit = try await ledger.deposit(reference: notification.orderId), deposit.method == "momo" else { return 404 }
            guard Money(checkedDong: notification.amount) == deposit.amount else {
                await reject(gateway: "momo", reference: notification.orderId, detail: "amount \(notification.amount) does not match")
                return 400
            }
            let succeeded = notification.resultCode == 0 || notification.resultCode == 9000
            switch try await apply(gateway: "momo", deposit: deposit, externalID: String(notification.transId), succeeded: succeeded, detail: "resultCode \(notification.resultCode)") {
            case .moved, .alreadyResolved: return 204
            case .notFound: return 404
            case .amountMismatch: return 400
            }
        } catch {
            logger.error("MoMo IPN failed", metadata: ["error": "\(error)"])
            return 500
        }
    }

    struct ZaloPayCallback: Decodable {
        let data: String
        let mac: String
    }

    /// ZaloPay callback: `{"return_code", "return_message"}` (1 success or already done, -1 bad
    /// MAC, 0 to be retried).
    public func zaloPayCallback(body: ByteBuffer) async -> (code: Int, message: String) {
        guard let callback = try? JSONBody.decode(ZaloPayCallback.self, from: body, allowingUnknownFields: true) else { return (-1, "malformed") }
        guard ZaloPayProtocol.verifyCallback(data: callback.data, mac: callback.mac, key2: configuration.zaloPayKey2),
              let data = try? JSONBody.decode(ZaloPayProtocol.CallbackData.self, from: ByteBuffer(string: callback.data), allowingUnknownFields: true),
              data.app_id == configuration.zaloPayAppID else {
            await reject(gateway: "zalopay", reference: nil, detail: "mac is not equal or wrong app_id")
            return (-1, "mac is not equal")
        }
        // app_trans_id is "yyMMdd_<reference>".
        let reference = String(data.app_trans_id.split(separator: "_").last ?? "")
        do {
            guard let deposit = try await ledger.deposit(reference: reference), deposit.method == "zalopay" else { return (-1, "order not found") }
            guard Money(checkedDong: data.amount) == deposit.amount else {
                await reject(gateway: "zalopay", reference: reference, detail: "amount \(data.amount) does not match")
                return (-1, "invalid amount")
            }
            // ZaloPay calls back only for successful payments.
            switch try await apply(gateway: "zalopay", deposit: deposit, externalID: String(data.zp_trans_id), succeeded: true, detail: "callback") {
            case .moved: return (1, "success")
            case .alreadyResolved: return (2, "already processed")
            case .notFound: return (-1, "order not found")
            case .amountMismatch: return (-1, "invalid amount")
            }
        } catch {
            logger.error("ZaloPay callback failed", metadata: ["error": "\(error)"])
            return (0, "retry")
        }
    }

    struct BankWebhook: Decodable {
        let code: String?
        let success: Bool?
        let data: [String: PayOSWebhook.JSONScalar]
        let signature: String
    }

    /// Bank-transfer webhook in the payOS format: the transfer's description must contain a
    /// deposit reference (banks add prefixes); the amount must match exactly. Answers
    /// `(status, body)` in payOS style.
    public func bankWebhook(body: ByteBuffer) async -> (status: Int, code: String, description: String) {
        guard let webhook = try? JSONBody.decode(BankWebhook.self, from: body, allowingUnknownFields: true) else { return (400, "01", "malformed") }
        guard PayOSWebhook.verify(webhook.data, signature: webhook.signature, checksumKey: configuration.bankWebhookChecksumKey) else {
            await reject(gateway: "bank_transfer", reference: nil, detail: "invalid webhook signature")
            return (401, "01", "invalid signature")
        }
        // The receiving account is this merchant's identity in a bank transfer.
        if let account = webhook.data["accountNumber"]?.text, !account.isEmpty, account != configuration.bankAccount {
            await reject(gateway: "bank_transfer", reference: nil, detail: "transfer to another account \(account)")
            return (200, "00", "not our account")
        }
        let text = (webhook.data["description"]?.text ?? "").uppercased()
        guard let range = text.range(of: #"MF[A-Z0-9]{14}"#, options: .regularExpression) else { return (200, "00", "no deposit reference") }
        let reference = String(text[range])
        guard case .integer(let paid)? = webhook.data["amount"] else { return (400, "01", "amount missing") }
        do {
            guard let deposit = try await ledger.deposit(reference: reference), deposit.method == "bank_transfer" || deposit.method == "qr_code" else {
                return (200, "00", "unknown reference")
            }
            guard Money(checkedDong: paid) == deposit.amount else {
                await reject(gateway: "bank_transfer", reference: reference, detail: "amount \(paid) does not match; needs review")
                return (200, "00", "amount mismatch recorded for review")
            }
            let succeeded = (webhook.data["code"]?.text ?? webhook.code ?? "00") == "00"
            _ = try await apply(gateway: "bank_transfer", deposit: deposit, externalID: webhook.data["reference"]?.text, succeeded: succeeded, detail: "webhook")
            return (200, "00", "success")
        } catch {
            logger.error("bank webhook failed", metadata: ["error": "\(error)"])
            return (500, "99", "retry")
        }
    }

    /// A staff member confirms a bank transfer matched by hand.
    public func confirmByStaff(depositID: UUID, staffID: UUID) async throws -> DepositTransition {
        guard let deposit = try await ledger.deposit(id: depositID) else { throw APIError.notFound("deposit") }
        guard deposit.method == "bank_transfer" || deposit.method == "qr_code" else {
            throw APIError(.conflict, code: "not_a_bank_transfer", vi: "Chỉ xác nhận tay được chuyển khoản ngân hàng.", en: "Only bank transfers are confirmed by hand.")
        }
        let transition = try await ledger.completeDeposit(reference: deposit.reference, amount: deposit.amount, externalID: nil, reason: "confirmed by staff", changedBy: "staff:\(staffID.uuidString.lowercased())")
        if case .moved = transition {
            await audit(DepositAuditEvent(kind: .completed, depositID: deposit.id, reference: deposit.reference, gateway: "bank_transfer", detail: "confirmed by staff", staffID: staffID))
        }
        return transition
    }
}

extension MoMoClient.CreateOutcome {
    var url: String? { if case .payURL(let url) = self { return url } else { return nil } }
    var refusal: (code: Int, message: String)? { if case .refused(let code, let message) = self { return (code, message) } else { return nil } }
}

extension ZaloPayClient.CreateOutcome {
    var url: String? { if case .orderURL(let url) = self { return url } else { return nil } }
    var refusal: (code: Int, message: String)? { if case .refused(let code, let message) = self { return (code, message) } else { return nil } }
}
