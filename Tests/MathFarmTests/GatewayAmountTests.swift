import Foundation
import HTTPTypes
import MathFarmCore
import MathFarmHTTP
import PaymentService
import Testing

/// Issue 12 §2: correctly signed notifications with amounts near and past 2^63 for each gateway.
/// `amount * 100` used to trap and take the API down; now each is refused in the gateway's own
/// dialect, nothing is credited, and the API keeps answering.
@Suite("Gateway amounts at 2^63", .serialized)
struct GatewayAmountTests {
    let configuration: DepositConfiguration
    static let huge = ["9223372036854775807", "9223372036854775808", "4611686018427387904", "92233720368547758070"]

    init() throws {
        configuration = try DepositConfiguration(environment: EnvironmentReader(["MATHFARM_ENV": "development"]))
    }

    @Test func moneyIsBoundedAndChecked() {
        #expect(Money(checkedDong: .max) == nil)
        #expect(Money(checkedDong: Int64.max / 100) == nil)
        #expect(Money(checkedDong: Money.maximumMinorUnits / 100) != nil)
        #expect(Money(checkedMinorUnits: Money.maximumMinorUnits + 1) == nil)
        #expect(Money(minorUnitDigits: "9223372036854775807") == nil)
        #expect(Money(minorUnitDigits: "-100") == nil && Money(minorUnitDigits: "1e5") == nil && Money(minorUnitDigits: "") == nil)
        #expect(Money(minorUnitDigits: "10000000") == Money(dong: 100_000))
        #expect(Money(dongDigits: "250000") == Money(dong: 250_000))
        let top = Money(minorUnits: Money.maximumMinorUnits)
        #expect(top.adding(Money(minorUnits: 1)) == nil)
        #expect((-top).subtracting(Money(minorUnits: 1)) == nil)
        #expect(Money(minorUnits: 5).adding(Money(minorUnits: 7)) == Money(minorUnits: 12))
    }

    func deposit(_ pipeline: Pipeline, method: String, reference: String) async throws -> UUID {
        let (user, _) = try await pipeline.customer(balance: 0)
        _ = try await pipeline.services.ledger.openDeposit(
            userID: user, method: method, amount: Money(dong: 50_000), fee: .zero, reference: reference,
            expiresIn: .seconds(900), description: "test", changedBy: "test"
        )
        return user
    }

    func assertNothingMoved(_ pipeline: Pipeline, user: UUID, reference: String) async throws {
        #expect(try await pipeline.services.ledger.balance(of: user).available == .zero)
        #expect(try await pipeline.services.ledger.deposit(reference: reference)?.status == .pending)
        #expect(try await pipeline.client.send(.get, "/healthz").status == 200)
    }

    @Test func vnpay() async throws {
        try await withPipeline { pipeline in
            let reference = "MFHUGEVNPAY00001"
            let user = try await deposit(pipeline, method: "vnpay", reference: reference)
            for amount in Self.huge {
                let fields = [
                    "vnp_Amount": amount, "vnp_ResponseCode": "00", "vnp_TmnCode": configuration.vnpayTmnCode,
                    "vnp_TransactionNo": "1", "vnp_TransactionStatus": "00", "vnp_TxnRef": reference,
                ]
                let uri = "/api/v1/payments/vnpay/ipn?\(VNPayProtocol.canonicalString(fields))&vnp_SecureHash=\(VNPayProtocol.sign(fields, secret: (configuration.vnpayHashSecret ?? "")))"
                let answer = try await pipeline.client.send(.get, uri)
                #expect(answer.json["RspCode"] as? String == "04", "\(amount): \(String(decoding: answer.body, as: UTF8.self))")
            }
            try await assertNothingMoved(pipeline, user: user, reference: reference)
        }
    }

    @Test func momo() async throws {
        try await withPipeline { pipeline in
            let reference = "MFHUGEMOMO000001"
            let user = try await deposit(pipeline, method: "momo", reference: reference)
            for amount in Self.huge {
                // Signed over the amount's text exactly as it is sent (it may not fit an Int64).
                let placeholder: Int64 = 123_456_789
                let template = MoMoProtocol.Notification(
                    partnerCode: configuration.momoPartnerCode, orderId: reference, requestId: reference, amount: placeholder,
                    orderInfo: "x", orderType: "momo_wallet", transId: 1, resultCode: 0, message: "Successful.", payType: "qr",
                    responseTime: 1_721_720_663_942, extraData: "", signature: ""
                )
                let input = MoMoProtocol.notificationSignatureInput(template, accessKey: (configuration.momoAccessKey ?? ""))
                    .replacingOccurrences(of: "amount=\(placeholder)", with: "amount=\(amount)")
                let signature = GatewaySignature.hmacSHA256(input, key: (configuration.momoSecretKey ?? ""))
                let body = #"{"partnerCode":"\#(configuration.momoPartnerCode)","orderId":"\#(reference)","requestId":"\#(reference)","amount":\#(amount),"orderInfo":"x","orderType":"momo_wallet","transId":1,"resultCode":0,"message":"Successful.","payType":"qr","responseTime":1721720663942,"extraData":"","signature":"\#(signature)"}"#
                let answer = try await pipeline.client.send(.post, "/api/v1/payments/momo/ipn", json: body)
                #expect(answer.status == 400, "\(amount): \(answer.status)")
            }
            try await assertNothingMoved(pipeline, user: user, reference: reference)
        }
    }

    @Test func zaloPay() async throws {
        try await withPipeline { pipeline in
            let reference = "MFHUGEZALO000001"
            let user = try await deposit(pipeline, method: "zalopay", reference: reference)
            for amount in Self.huge {
                let data = #"{"app_id":\#(configuration.zaloPayAppID),"app_trans_id":"261126_\#(reference)","app_time":1599189392817,"app_user":"demo","amount":\#(amount),"embed_data":"{}","item":"[]","zp_trans_id":261126000000389,"server_time":1599189413498,"channel":38,"merchant_user_id":"x","user_fee_amount":0,"discount_amount":0}"#
                let mac = GatewaySignature.hmacSHA256(data, key: (configuration.zaloPayKey2 ?? ""))
                let body = String(decoding: try JSONSerialization.data(withJSONObject: ["data": data, "mac": mac, "type": 1]), as: UTF8.self)
                let answer = try await pipeline.client.send(.post, "/api/v1/payments/zalopay/callback", json: body)
                #expect(answer.json["return_code"] as? Int == -1, "\(amount): \(String(decoding: answer.body, as: UTF8.self))")
            }
            try await assertNothingMoved(pipeline, user: user, reference: reference)
        }
    }

    @Test func bankWebhook() async throws {
        try await withPipeline { pipeline in
            let reference = "MFHUGEBANK000001"
            let user = try await deposit(pipeline, method: "bank_transfer", reference: reference)
            for amount in Self.huge {
                // payOS signs the sorted data as text: the amount's digits as sent.
                let input = "accountNumber=\(configuration.bankAccount)&amount=\(amount)&code=00&description=CK \(reference)&reference=FT1"
                let signature = GatewaySignature.hmacSHA256(input, key: (configuration.bankWebhookChecksumKey ?? ""))
                let body = #"{"code":"00","desc":"success","success":true,"data":{"accountNumber":"\#(configuration.bankAccount)","amount":\#(amount),"code":"00","description":"CK \#(reference)","reference":"FT1"},"signature":"\#(signature)"}"#
                let answer = try await pipeline.client.send(.post, "/api/v1/payments/bank/webhook", json: body)
                #expect(answer.status < 500, "\(amount): \(answer.status)")
                #expect(answer.json["message"] as? String != "success")
            }
            try await assertNothingMoved(pipeline, user: user, reference: reference)
        }
    }
}
