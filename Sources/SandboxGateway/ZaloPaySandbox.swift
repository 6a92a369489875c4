import Foundation
import Hummingbird
import PaymentService

/// ZaloPay's side: create (key1 MAC), the payment page, the callback (only for a successful
/// payment; key2 MAC over the `data` string; at most 3 tries), the redirect with its checksum,
/// query and refund.
struct ZaloPaySandbox: Sendable {
    let configuration: SandboxConfiguration
    let orders: SandboxOrders
    let delivery: NotificationDelivery

    private var gateway: DepositConfiguration { configuration.gateway }

    func register(on router: Router<BasicRequestContext>) {
        router.post("v2/create") { request, _ in await create(try await SandboxJSON.object(request) ?? [:]) }
        router.get("zalopay/pay") { request, _ in await page(request) }
        router.post("zalopay/decide") { request, _ in await decide(request) }
        router.post("v2/query") { request, _ in await query(try await SandboxJSON.object(request) ?? [:]) }
        router.post("v2/refund") { request, _ in await refund(try await SandboxJSON.object(request) ?? [:]) }
    }

    /// The reference inside app_trans_id "yyMMdd_<reference>".
    private func reference(_ appTransID: String) -> String { String(appTransID.split(separator: "_").last ?? "") }

    private func create(_ body: [String: Any]) async -> Response {
        let s = { (key: String) in SandboxJSON.string(body, key) }
        guard let appID = SandboxJSON.int64(body, "app_id"), let amount = SandboxJSON.int64(body, "amount"), let appTime = SandboxJSON.int64(body, "app_time") else {
            return SandboxJSON.response(["return_code": 2, "return_message": "Giao dịch thất bại", "sub_return_code": -401, "sub_return_message": "Dữ liệu yêu cầu không hợp lệ"])
        }
        let input = ZaloPayProtocol.createMACInput(appID: Int(appID), appTransID: s("app_trans_id"), appUser: s("app_user"), amount: amount, appTime: appTime, embedData: s("embed_data"), item: s("item"))
        guard GatewaySignature.hexEquals(GatewaySignature.hmacSHA256(input, key: configuration.keys.zaloPayKey1), s("mac")), Int(appID) == gateway.zaloPayAppID else {
            return SandboxJSON.response(["return_code": 2, "return_message": "Giao dịch thất bại", "sub_return_code": -402, "sub_return_message": "Xác thực thất bại (mac)"])
        }
        let redirect = ((try? JSONSerialization.jsonObject(with: Data(s("embed_data").utf8))) as? [String: Any])?["redirecturl"] as? String ?? ""
        await orders.record(.init(
            reference: reference(s("app_trans_id")), amountMinor: amount * 100, createDate: "", orderInfo: s("description"), returnURL: redirect,
            state: .pending, transactionNo: "0", notifyURL: s("callback_url"), gatewayKey: s("app_trans_id")
        ))
        return SandboxJSON.response([
            "return_code": 1, "return_message": "Giao dịch thành công", "sub_return_code": 1, "sub_return_message": "Giao dịch thành công",
            "order_url": "http://\(configuration.host):\(configuration.port)/zalopay/pay?apptransid=\(s("app_trans_id"))",
            "zp_trans_token": UUID().uuidString.replacingOccurrences(of: "-", with: ""),
        ])
    }

    private func page(_ request: Request) async -> Response {
        let query = VNPayProtocol.parseQuery(request.uri.query ?? "") ?? [:]
        guard let transID = query["apptransid"], let order = await orders.order(reference(transID)) else { return html("<h1>Không tìm thấy đơn / Order not found</h1>", status: .notFound) }
        return html("""
            <h1>ZaloPay sandbox</h1><p>\(order.orderInfo): <b>\(order.amountMinor / 100) VND</b></p>
            <form method="post" action="/zalopay/decide?apptransid=\(transID)&action=pay"><button>Thanh toán / Pay</button></form>
            <form method="post" action="/zalopay/decide?apptransid=\(transID)&action=cancel"><button>Hủy / Cancel</button></form>
            """)
    }

    private func decide(_ request: Request) async -> Response {
        let query = VNPayProtocol.parseQuery(request.uri.query ?? "") ?? [:]
        guard let transID = query["apptransid"], let order = await orders.order(reference(transID)), order.state == .pending else {
            return html("<h1>Không tìm thấy đơn / Order not found</h1>", status: .notFound)
        }
        let paid = query["action"] == "pay"
        let zpTransID = Int64.random(in: 100_000_000_000_000...999_999_999_999_999)
        await orders.update(order.reference, state: paid ? .paid : .cancelled, transactionNo: String(zpTransID))
        if paid {
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let data = #"{"app_id":\#(gateway.zaloPayAppID),"app_trans_id":"\#(transID)","app_time":\#(now),"app_user":"sandbox","amount":\#(order.amountMinor / 100),"embed_data":"{}","item":"[]","zp_trans_id":\#(zpTransID),"server_time":\#(now),"channel":38,"merchant_user_id":"sandbox","user_fee_amount":0,"discount_amount":0}"#
            let body = (try? JSONSerialization.data(withJSONObject: ["data": data, "mac": GatewaySignature.hmacSHA256(data, key: configuration.keys.zaloPayKey2), "type": 1])) ?? Data()
            let orders = self.orders
            let delivery = self.delivery
            let attempts = configuration.zaloPayMaxAttempts
            let reference = order.reference
            Task {
                await delivery.send(method: .POST, url: order.notifyURL, body: String(decoding: body, as: UTF8.self), contentType: "application/json", attempts: attempts, shouldRetry: { answer in
                    // ZaloPay retries when the merchant could not take the callback (return_code 0 or no answer).
                    let code = answer.flatMap { ((try? JSONSerialization.jsonObject(with: Data($0.body.utf8))) as? [String: Any])?["return_code"] as? Int }
                    return code == nil || code == 0
                }, onAnswer: { answer in
                    let code = answer.flatMap { ((try? JSONSerialization.jsonObject(with: Data($0.body.utf8))) as? [String: Any])?["return_code"] as? Int }
                    await orders.delivered(reference, answer: code.map(String.init) ?? "none")
                })
            }
        }
        let status = paid ? "1" : "-49"
        let amount = String(order.amountMinor / 100)
        let checksum = GatewaySignature.hmacSHA256("\(gateway.zaloPayAppID)|\(transID)|38|zalopayapp|\(amount)|0|\(status)", key: configuration.keys.zaloPayKey2)
        var response = Response(status: .found)
        response.headers[.location] = "\(order.returnURL)?appid=\(gateway.zaloPayAppID)&apptransid=\(transID)&pmcid=38&bankcode=zalopayapp&amount=\(amount)&discountamount=0&status=\(status)&checksum=\(checksum)"
        return response
    }

    private func query(_ body: [String: Any]) async -> Response {
        let appTransID = SandboxJSON.string(body, "app_trans_id")
        let input = ZaloPayProtocol.queryMACInput(appID: Int(SandboxJSON.int64(body, "app_id") ?? 0), appTransID: appTransID, key1: configuration.keys.zaloPayKey1)
        guard GatewaySignature.hexEquals(GatewaySignature.hmacSHA256(input, key: configuration.keys.zaloPayKey1), SandboxJSON.string(body, "mac")) else {
            return SandboxJSON.response(["return_code": 2, "return_message": "mac invalid", "sub_return_code": -402])
        }
        guard let order = await orders.order(reference(appTransID)) else {
            return SandboxJSON.response(["return_code": 2, "return_message": "Giao dịch thất bại", "sub_return_code": -92, "is_processing": false])
        }
        switch order.state {
        case .paid, .refunded:
            return SandboxJSON.response(["return_code": 1, "return_message": "Giao dịch thành công", "is_processing": false, "amount": order.amountMinor / 100, "zp_trans_id": Int64(order.transactionNo) ?? 0, "discount_amount": 0])
        case .cancelled:
            return SandboxJSON.response(["return_code": 2, "return_message": "Giao dịch thất bại", "is_processing": false])
        case .pending:
            return SandboxJSON.response(["return_code": 3, "return_message": "Giao dịch chưa thực hiện", "is_processing": false])
        }
    }

    private func refund(_ body: [String: Any]) async -> Response {
        guard let zpTransID = SandboxJSON.int64(body, "zp_trans_id"), let amount = SandboxJSON.int64(body, "amount"), let timestamp = SandboxJSON.int64(body, "timestamp") else {
            return SandboxJSON.response(["return_code": 2, "return_message": "invalid request"])
        }
        let input = ZaloPayProtocol.refundMACInput(appID: Int(SandboxJSON.int64(body, "app_id") ?? 0), zpTransID: zpTransID, amount: amount, description: SandboxJSON.string(body, "description"), timestamp: timestamp)
        guard GatewaySignature.hexEquals(GatewaySignature.hmacSHA256(input, key: configuration.keys.zaloPayKey1), SandboxJSON.string(body, "mac")) else {
            return SandboxJSON.response(["return_code": 2, "return_message": "mac invalid"])
        }
        if let reference = await orders.reference(forTransaction: String(zpTransID)), await orders.order(reference)?.state == .refunded {
            return SandboxJSON.response(["return_code": 1, "return_message": "Giao dịch thành công"])  // the same m_refund_id again
        }
        guard let reference = await orders.reference(forTransaction: String(zpTransID)), let order = await orders.order(reference), order.state == .paid, amount <= order.amountMinor / 100 else {
            return SandboxJSON.response(["return_code": 2, "return_message": "refund refused"])
        }
        await orders.update(reference, state: .refunded)
        return SandboxJSON.response(["return_code": 1, "return_message": "Giao dịch thành công", "refund_id": Int64.random(in: 1_000_000...9_999_999)])
    }
}
