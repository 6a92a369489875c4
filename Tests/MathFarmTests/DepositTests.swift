import AdminService
import Foundation
import HTTPTypes
import MathFarmCore
import MathFarmHTTP
import PaymentService
import Testing

/// Deposits through the real API, PostgreSQL and ledger: each gateway's notification verified
/// over raw values and applied exactly once, rejections that change nothing, staff
/// confirmation, limits, and a green reconciler after all of it.
@Suite("Deposits", .serialized)
struct DepositTests {
    let configuration: DepositConfiguration

    init() throws {
        configuration = try DepositConfiguration(environment: EnvironmentReader(["MATHFARM_ENV": "development"]))
    }

    /// A VNPay IPN query as VNPay sends it: PHP-encoded, signed with the hash secret.
    func vnpayIPN(_ fields: [String: String], secret: String? = nil) -> String {
        let query = VNPayProtocol.canonicalString(fields)
        return "/api/v1/payments/vnpay/ipn?\(query)&vnp_SecureHash=\(VNPayProtocol.sign(fields, secret: secret ?? (configuration.vnpayHashSecret ?? "")))"
    }

    func paidFields(_ reference: String, amountMinor: Int64, response: String = "00", status: String = "00", tmn: String? = nil, transactionNo: String = "14226112") -> [String: String] {
        [
            "vnp_Amount": String(amountMinor), "vnp_BankCode": "NCB", "vnp_BankTranNo": "VNP14422574", "vnp_CardType": "ATM",
            "vnp_OrderInfo": "Nap tien MathFarm \(reference) luc: 10:00", "vnp_PayDate": "20261126170112", "vnp_ResponseCode": response,
            "vnp_TmnCode": tmn ?? configuration.vnpayTmnCode, "vnp_TransactionNo": transactionNo, "vnp_TransactionStatus": status, "vnp_TxnRef": reference,
        ]
    }

    func openVNPay(_ pipeline: Pipeline, token: String, amount: String = "100000") async throws -> (id: String, reference: String, url: String) {
        let created = try await pipeline.client.send(.post, "/api/v1/deposits", json: #"{"method": "vnpay", "amount": \#(amount)}"#, token: token)
        #expect(created.status == 201, "\(String(decoding: created.body, as: UTF8.self))")
        let id = try #require(created.string("deposit", "id"))
        let reference = try #require(created.string("deposit", "reference"))
        return (id, reference, try #require(created.string("payment", "payment_url")))
    }

    @Test func methodsAndLimits() async throws {
        try await withPipeline { pipeline in
            let list = try await pipeline.client.send(.get, "/api/v1/payment-methods")
            let methods = try #require(list.json["methods"] as? [[String: Any]])
            #expect(methods.compactMap { $0["code"] as? String } == ["vnpay", "momo", "zalopay", "bank_transfer", "qr_code"])
            let vnpay = try #require(methods.first { $0["code"] as? String == "vnpay" })
            #expect(vnpay["min_amount"] as? String == "10000.00" && vnpay["max_amount"] as? String == "50000000.00")
            let (_, token) = try await pipeline.customer(balance: 0)
            for (body, code) in [
                (#"{"method": "vnpay", "amount": 9999}"#, "invalid_field"), (#"{"method": "vnpay", "amount": 50000001}"#, "invalid_field"),
                (#"{"method": "vnpay", "amount": "10000.50"}"#, "invalid_field"),                 (#"{"method": "paypal", "amount": 20000}"#, "unknown_payment_method"),
            ] {
                let refused = try await pipeline.client.send(.post, "/api/v1/deposits", json: body, token: token)
                #expect(refused.status == 422 && refused.errorCode == code, "\(body) → \(refused.status) \(refused.errorCode ?? "-")")
            }
            // The same Idempotency-Key opens one deposit.
            var headers = HTTPFields()
            headers[HTTPField.Name("Idempotency-Key")!] = "topup-1"
            let first = try await pipeline.client.send(.post, "/api/v1/deposits", json: #"{"method": "qr_code", "amount": 20000}"#, token: token, headers: headers)
            let second = try await pipeline.client.send(.post, "/api/v1/deposits", json: #"{"method": "qr_code", "amount": 20000}"#, token: token, headers: headers)
            #expect(first.status == 201 && second.status == 201)
            #expect(first.string("deposit", "id") == second.string("deposit", "id"))
        }
    }

    @Test func vnpayIPNCreditsExactlyOnce() async throws {
        try await withPipeline { pipeline in
            let (user, token) = try await pipeline.customer(balance: 0)
            let (id, reference, url) = try await openVNPay(pipeline, token: token)
            // The payment URL is signed as VNPay verifies it.
            let query = try #require(url.split(separator: "?", maxSplits: 1).last.map(String.init))
            let urlFields = try #require(VNPayProtocol.parseQuery(query))
            #expect(VNPayProtocol.verify(urlFields, secret: (configuration.vnpayHashSecret ?? "")))
            #expect(urlFields["vnp_Amount"] == "10000000" && urlFields["vnp_TxnRef"] == reference)

            let ipn = vnpayIPN(paidFields(reference, amountMinor: 10_000_000))
            let firstAnswer = try await pipeline.client.send(.get, ipn)
            #expect(firstAnswer.json["RspCode"] as? String == "00")
            for _ in 0..<10 {
                #expect(try await pipeline.client.send(.get, ipn).json["RspCode"] as? String == "02")
            }
            let answers = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<10 { group.addTask { try await pipeline.client.send(.get, ipn).json["RspCode"] as? String } }
                return try await group.reduce(into: [String?]()) { $0.append($1) }
            }
            #expect(answers.allSatisfy { $0 == "02" })
            // 1.1% fee: 100,000 → 98,900 credited.
            let balance = try await pipeline.services.ledger.balance(of: user)
            #expect(balance.available == Money(dong: 98_900))
            let status = try await pipeline.client.send(.get, "/api/v1/deposits/\(id)", token: token)
            #expect(status.string("status") == "completed" && status.string("net_amount") == "98900.00")
            let depositID = try #require(UUID(uuidString: id))
            #expect(try await pipeline.services.auditLog.count(entity: .transaction, entityID: depositID, action: .confirm) == 1)
            #expect(try await pipeline.violations() == [])
        }
    }

    @Test func vnpayRejectionsChangeNothing() async throws {
        try await withPipeline { pipeline in
            let (user, token) = try await pipeline.customer(balance: 0)
            let (_, reference, _) = try await openVNPay(pipeline, token: token)
            let answer = { (uri: String) async throws -> String? in try await pipeline.client.send(.get, uri).json["RspCode"] as? String }
            // Forged first (wrong secret), then tampered amount, wrong merchant, unknown order.
            #expect(try await answer(vnpayIPN(paidFields(reference, amountMinor: 10_000_000), secret: "forged")) == "97")
            let genuine = vnpayIPN(paidFields(reference, amountMinor: 10_000_000))
            #expect(try await answer(genuine.replacingOccurrences(of: "vnp_Amount=10000000", with: "vnp_Amount=90000000")) == "97")
            #expect(try await answer(vnpayIPN(paidFields(reference, amountMinor: 90_000_000))) == "04")
            #expect(try await answer(vnpayIPN(paidFields(reference, amountMinor: 10_000_000, tmn: "OTHERTMN"))) == "01")
            #expect(try await answer(vnpayIPN(paidFields("MFNOSUCHORDER000", amountMinor: 10_000_000))) == "01")
            #expect(try await pipeline.services.ledger.balance(of: user).available == .zero)
            // None of that poisoned the genuine notification.
            #expect(try await answer(genuine) == "00")
            #expect(try await pipeline.services.ledger.balance(of: user).available == Money(dong: 98_900))

            // A cancelled payment (24/02) fails the deposit; a later "success" for it changes nothing.
            let (cancelledID, cancelled, _) = try await openVNPay(pipeline, token: token, amount: "20000")
            let cancelAnswer = try await pipeline.client.send(.get, vnpayIPN(paidFields(cancelled, amountMinor: 2_000_000, response: "24", status: "02", transactionNo: "0")))
            #expect(cancelAnswer.json["RspCode"] as? String == "00", "\(String(decoding: cancelAnswer.body, as: UTF8.self))")
            #expect(try await pipeline.client.send(.get, "/api/v1/deposits/\(cancelledID)", token: token).string("status") == "failed")
            #expect(try await answer(vnpayIPN(paidFields(cancelled, amountMinor: 2_000_000, transactionNo: "14226199"))) == "02")
            #expect(try await pipeline.services.ledger.balance(of: user).available == Money(dong: 98_900))
            #expect(try await pipeline.services.auditLog.count(entity: .transaction, entityID: nil, action: .update) >= 4)
            #expect(try await pipeline.violations() == [])
        }
    }

    @Test func bankTransferByQRAndWebhook() async throws {
        try await withPipeline { pipeline in
            let (user, token) = try await pipeline.customer(balance: 0)
            let created = try await pipeline.client.send(.post, "/api/v1/deposits", json: #"{"method": "qr_code", "amount": 250000}"#, token: token)
            let reference = try #require(created.string("deposit", "reference"))
            let payload = try #require(created.string("payment", "qr_payload"))
            #expect(VietQR.isValid(payload))
            #expect(payload.contains("0816\(reference)") && payload.contains("5406250000"))

            func webhook(amount: Int, description: String, key: String? = nil, account: String? = nil) -> String {
                let data: [String: PayOSWebhook.JSONScalar] = [
                    "orderCode": .integer(1), "amount": .integer(Int64(amount)), "description": .string(description), "accountNumber": .string(account ?? configuration.bankAccount),
                    "reference": .string("FT26330123456"), "transactionDateTime": .string("2026-11-26 18:25:00"), "currency": .string("VND"),
                    "code": .string("00"), "desc": .string("success"), "counterAccountName": .null,
                ]
                let signature = GatewaySignature.hmacSHA256(PayOSWebhook.signatureInput(data), key: key ?? (configuration.bankWebhookChecksumKey ?? ""))
                let fields = data.map { key, value -> String in
                    switch value {
                    case .integer(let v): return #""\#(key)": \#(v)"#
                    case .null: return #""\#(key)": null"#
                    default: return #""\#(key)": "\#(value.text)""#
                    }
                }
                return #"{"code": "00", "desc": "success", "success": true, "data": {\#(fields.joined(separator: ", "))}, "signature": "\#(signature)"}"#
            }
            let memo = "MBVCB.8412 \(reference.lowercased()) CHUYEN TIEN"
            let forged = try await pipeline.client.send(.post, "/api/v1/payments/bank/webhook", json: webhook(amount: 250_000, description: memo, key: "wrong"))
            #expect(forged.status == 401)
            let short = try await pipeline.client.send(.post, "/api/v1/payments/bank/webhook", json: webhook(amount: 25_000, description: memo))
            #expect(short.status == 200)
            let elsewhere = try await pipeline.client.send(.post, "/api/v1/payments/bank/webhook", json: webhook(amount: 250_000, description: memo, account: "999999999"))
            #expect(elsewhere.status == 200)
            #expect(try await pipeline.services.ledger.balance(of: user).available == .zero)
            for _ in 0..<3 {
                let paid = try await pipeline.client.send(.post, "/api/v1/payments/bank/webhook", json: webhook(amount: 250_000, description: memo))
                #expect(paid.status == 200 && paid.json["code"] as? String == "00")
            }
            #expect(try await pipeline.services.ledger.balance(of: user).available == Money(dong: 250_000))
            #expect(try await pipeline.violations() == [])
        }
    }

    @Test func staffConfirmsABankTransferByHand() async throws {
        try await withPipeline { pipeline in
            let (user, token) = try await pipeline.customer(balance: 0)
            let created = try await pipeline.client.send(.post, "/api/v1/deposits", json: #"{"method": "bank_transfer", "amount": 30000}"#, token: token)
            let id = try #require(created.string("deposit", "id"))
            try await makeStaff(pipeline.services, username: "cashier", permissions: [.paymentsConfirm])
            try await makeStaff(pipeline.services, username: "viewer", permissions: [.usersRead])
            let viewer = try await staffToken(pipeline.client, "viewer")
            #expect(try await pipeline.client.send(.post, "/api/v1/admin/deposits/\(id)/confirm", token: viewer).status == 403)
            let cashier = try await staffToken(pipeline.client, "cashier")
            let confirmed = try await pipeline.client.send(.post, "/api/v1/admin/deposits/\(id)/confirm", token: cashier)
            #expect(confirmed.status == 200 && confirmed.string("status") == "completed")
            let again = try await pipeline.client.send(.post, "/api/v1/admin/deposits/\(id)/confirm", token: cashier)
            #expect(again.status == 200)
            #expect(try await pipeline.services.ledger.balance(of: user).available == Money(dong: 30_000))
            #expect(try await pipeline.violations() == [])
        }
    }

    @Test func momoAndZaloPayNotifications() async throws {
        try await withPipeline { pipeline in
            let (user, _) = try await pipeline.customer(balance: 0)
            let ledger = pipeline.services.ledger
            _ = try await ledger.openDeposit(userID: user, method: "momo", amount: Money(dong: 50_000), fee: Money(dong: 750), reference: "MFMOMO0000000001", expiresIn: .seconds(900), description: "test", changedBy: "test")
            var ipn = MoMoProtocol.Notification(
                partnerCode: configuration.momoPartnerCode, orderId: "MFMOMO0000000001", requestId: "MFMOMO0000000001", amount: 50_000,
                orderInfo: "Nạp tiền", orderType: "momo_wallet", transId: 4_088_878_653, resultCode: 0, message: "Successful.", payType: "qr",
                responseTime: 1_721_720_663_942, extraData: "", signature: ""
            )
            ipn.signature = GatewaySignature.hmacSHA256(MoMoProtocol.notificationSignatureInput(ipn, accessKey: (configuration.momoAccessKey ?? "")), key: (configuration.momoSecretKey ?? ""))
            let body = String(decoding: try JSONEncoder().encode(ipn), as: UTF8.self)
            var forged = ipn
            forged.amount = 5_000_000
            let forgedBody = String(decoding: try JSONEncoder().encode(forged), as: UTF8.self)
            #expect(try await pipeline.client.send(.post, "/api/v1/payments/momo/ipn", json: forgedBody).status == 400)
            #expect(try await pipeline.client.send(.post, "/api/v1/payments/momo/ipn", json: body).status == 204)
            #expect(try await pipeline.client.send(.post, "/api/v1/payments/momo/ipn", json: body).status == 204)
            #expect(try await ledger.balance(of: user).available == Money(dong: 49_250))

            _ = try await ledger.openDeposit(userID: user, method: "zalopay", amount: Money(dong: 10_000), fee: Money(dong: 100), reference: "MFZALO0000000001", expiresIn: .seconds(900), description: "test", changedBy: "test")
            let data = #"{"app_id":\#(configuration.zaloPayAppID),"app_trans_id":"261126_MFZALO0000000001","app_time":1599189392817,"app_user":"demo","amount":10000,"embed_data":"{}","item":"[]","zp_trans_id":261126000000389,"server_time":1599189413498,"channel":38,"merchant_user_id":"x","user_fee_amount":0,"discount_amount":0}"#
            let mac = GatewaySignature.hmacSHA256(data, key: (configuration.zaloPayKey2 ?? ""))
            func callback(_ mac: String) throws -> String {
                String(decoding: try JSONSerialization.data(withJSONObject: ["data": data, "mac": mac, "type": 1]), as: UTF8.self)
            }
            #expect(try await pipeline.client.send(.post, "/api/v1/payments/zalopay/callback", json: try callback(String(repeating: "0", count: 64))).json["return_code"] as? Int == -1)
            #expect(try await pipeline.client.send(.post, "/api/v1/payments/zalopay/callback", json: try callback(mac)).json["return_code"] as? Int == 1)
            #expect(try await pipeline.client.send(.post, "/api/v1/payments/zalopay/callback", json: try callback(mac)).json["return_code"] as? Int == 2)
            #expect(try await ledger.balance(of: user).available == Money(dong: 49_250 + 9_900))
            #expect(try await pipeline.violations() == [])
        }
    }
}
