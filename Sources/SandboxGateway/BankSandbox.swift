import Foundation
import Hummingbird
import PaymentService

/// A bank account's side: "make a transfer" with a memo, which the aggregator (payOS format)
/// reports to the merchant's webhook, signed with the checksum key.
struct BankSandbox: Sendable {
    let configuration: SandboxConfiguration
    let delivery: NotificationDelivery

    func register(on router: Router<BasicRequestContext>) {
        router.get("bank/transfer") { request, _ in
            let query = VNPayProtocol.parseQuery(request.uri.query ?? "") ?? [:]
            return html("""
                <h1>Ngân hàng sandbox / Bank sandbox</h1>
                <form method="post" action="/bank/transfer">
                <p>Nội dung / Memo <input name="memo" value="\(query["memo"] ?? "")"></p>
                <p>Số tiền / Amount (VND) <input name="amount" value="\(query["amount"] ?? "")"></p>
                <button>Chuyển / Transfer</button></form>
                """)
        }
        router.post("bank/transfer") { request, _ in
            let body = try await request.body.collect(upTo: 16 * 1024)
            let form = VNPayProtocol.parseQuery(String(buffer: body)) ?? [:]
            guard let memo = form["memo"], let amount = form["amount"].flatMap(Int64.init), amount > 0 else {
                return html("<h1>Thiếu nội dung hoặc số tiền / Memo and amount are required</h1>", status: .badRequest)
            }
            await transfer(memo: memo, amount: amount)
            return html("<h1>Đã chuyển / Transferred</h1><p>\(amount) VND: \(memo)</p>")
        }
    }

    /// Sends the webhook (retried on anything but a 2xx, 3 times).
    func transfer(memo: String, amount: Int64) async {
        let reference = "FT" + String(Int.random(in: 10_000_000_000...99_999_999_999))
        let data: [String: PayOSWebhook.JSONScalar] = [
            "orderCode": .integer(Int64.random(in: 1...999_999)), "amount": .integer(amount), "description": .string(memo),
            "accountNumber": .string(configuration.gateway.bankAccount), "reference": .string(reference),
            "transactionDateTime": .string(VNPayProtocol.timestamp(Date())), "currency": .string("VND"), "code": .string("00"), "desc": .string("success"),
        ]
        let signature = GatewaySignature.hmacSHA256(PayOSWebhook.signatureInput(data), key: configuration.keys.bankWebhookChecksumKey)
        var object: [String: Any] = [:]
        for (key, value) in data {
            switch value {
            case .integer(let v): object[key] = v
            default: object[key] = value.text
            }
        }
        let payload: [String: Any] = ["code": "00", "desc": "success", "success": true, "data": object, "signature": signature]
        guard let bytes = try? JSONSerialization.data(withJSONObject: payload) else { return }
        await delivery.send(
            method: .POST, url: configuration.bankWebhookURL, body: String(decoding: bytes, as: UTF8.self), contentType: "application/json",
            attempts: 3, shouldRetry: { answer in !(200..<300).contains(answer?.status ?? 0) }, onAnswer: { _ in }
        )
    }
}
