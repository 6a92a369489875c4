import Foundation
import Hummingbird
import PaymentService

/// MoMo's side: create (`captureWallet`, signature checked, resultCode 20 echoing the expected
/// raw string as MoMo does), the wallet page, the IPN re-sent until a 204, the redirect, query
/// and refund.
struct MoMoSandbox: Sendable {
    let configuration: SandboxConfiguration
    let orders: SandboxOrders
    let delivery: NotificationDelivery

    private var gateway: DepositConfiguration { configuration.gateway }

    func register(on router: Router<BasicRequestContext>) {
        router.post("v2/gateway/api/create") { request, _ in await create(try await SandboxJSON.object(request) ?? [:]) }
        router.get("momo/pay") { request, _ in await page(request) }
        router.post("momo/decide") { request, _ in await decide(request) }
        router.post("v2/gateway/api/query") { request, _ in await query(try await SandboxJSON.object(request) ?? [:]) }
        router.post("v2/gateway/api/refund") { request, _ in await refund(try await SandboxJSON.object(request) ?? [:]) }
    }

    private func create(_ body: [String: Any]) async -> Response {
        let s = { (key: String) in SandboxJSON.string(body, key) }
        guard let amount = SandboxJSON.int64(body, "amount") else { return SandboxJSON.response(["resultCode": 20, "message": "Bad format request."]) }
        let request = MoMoProtocol.CreateRequest(
            partnerCode: s("partnerCode"), requestId: s("requestId"), amount: amount, orderId: s("orderId"), orderInfo: s("orderInfo"),
            redirectUrl: s("redirectUrl"), ipnUrl: s("ipnUrl"), requestType: s("requestType"), extraData: s("extraData")
        )
        let raw = MoMoProtocol.createSignatureInput(request, accessKey: configuration.keys.momoAccessKey)
        guard GatewaySignature.hexEquals(GatewaySignature.hmacSHA256(raw, key: configuration.keys.momoSecretKey), s("signature")) else {
            return SandboxJSON.response(["resultCode": 20, "message": "Bad format request.", "subErrors": [["field": "signature", "message": "Signature raw data: \(raw)"]]])
        }
        guard request.partnerCode == gateway.momoPartnerCode else { return SandboxJSON.response(["resultCode": 11, "message": "Access denied."]) }
        guard (1_000...50_000_000).contains(amount) else { return SandboxJSON.response(["resultCode": 22, "message": "Invalid amount."]) }
        if let existing = await orders.order(request.orderId), existing.gatewayKey != request.requestId {
            return SandboxJSON.response(["resultCode": 41, "message": "Duplicate orderId."])
        }
        await orders.record(.init(
            reference: request.orderId, amountMinor: amount * 100, createDate: "", orderInfo: request.orderInfo, returnURL: request.redirectUrl,
            state: .pending, transactionNo: "0", notifyURL: request.ipnUrl, gatewayKey: request.requestId
        ))
        return SandboxJSON.response([
            "partnerCode": request.partnerCode, "requestId": request.requestId, "orderId": request.orderId, "amount": amount,
            "responseTime": Int64(Date().timeIntervalSince1970 * 1000), "message": "Thành công.", "resultCode": 0,
            "payUrl": "http://\(configuration.host):\(configuration.port)/momo/pay?orderId=\(request.orderId)",
        ])
    }

    private func page(_ request: Request) async -> Response {
        let query = VNPayProtocol.parseQuery(request.uri.query ?? "") ?? [:]
        guard let reference = query["orderId"], let order = await orders.order(reference) else { return html("<h1>Không tìm thấy đơn / Order not found</h1>", status: .notFound) }
        return html("""
            <h1>MoMo sandbox</h1><p>Đơn hàng / Order <b>\(reference)</b>: <b>\(order.amountMinor / 100) VND</b></p>
            <form method="post" action="/momo/decide?orderId=\(reference)&action=pay"><button>Xác nhận / Confirm</button></form>
            <form method="post" action="/momo/decide?orderId=\(reference)&action=cancel"><button>Hủy / Cancel</button></form>
            """)
    }

    private func decide(_ request: Request) async -> Response {
        let query = VNPayProtocol.parseQuery(request.uri.query ?? "") ?? [:]
        guard let reference = query["orderId"], let order = await orders.order(reference), order.state == .pending else {
            return html("<h1>Không tìm thấy đơn / Order not found</h1>", status: .notFound)
        }
        let paid = query["action"] == "pay"
        let transID = Int64.random(in: 1_000_000_000...9_999_999_999)
        await orders.update(reference, state: paid ? .paid : .cancelled, transactionNo: String(transID))
        var ipn = MoMoProtocol.Notification(
            partnerCode: gateway.momoPartnerCode, orderId: reference, requestId: order.gatewayKey, amount: order.amountMinor / 100,
            orderInfo: order.orderInfo, orderType: "momo_wallet", transId: transID, resultCode: paid ? 0 : 1006,
            message: paid ? "Successful." : "Transaction denied by user.", payType: "qr", responseTime: Int64(Date().timeIntervalSince1970 * 1000),
            extraData: "", signature: ""
        )
        ipn.signature = GatewaySignature.hmacSHA256(MoMoProtocol.notificationSignatureInput(ipn, accessKey: configuration.keys.momoAccessKey), key: configuration.keys.momoSecretKey)
        let body = String(decoding: (try? JSONEncoder().encode(ipn)) ?? Data(), as: UTF8.self)
        let orders = self.orders
        let delivery = self.delivery
        let attempts = configuration.momoMaxAttempts
        Task {
            await delivery.send(method: .POST, url: order.notifyURL, body: body, contentType: "application/json", attempts: attempts, shouldRetry: { answer in
                answer?.status != 204
            }, onAnswer: { answer in
                await orders.delivered(reference, answer: answer.map { String($0.status) } ?? "none")
            })
        }
        let fields = [
            "partnerCode": ipn.partnerCode, "orderId": ipn.orderId, "requestId": ipn.requestId, "amount": String(ipn.amount), "orderInfo": ipn.orderInfo,
            "orderType": ipn.orderType, "transId": String(ipn.transId), "resultCode": String(ipn.resultCode), "message": ipn.message,
            "payType": ipn.payType, "responseTime": String(ipn.responseTime), "extraData": ipn.extraData, "signature": ipn.signature,
        ]
        var response = Response(status: .found)
        response.headers[.location] = order.returnURL + "?" + fields.sorted { $0.key < $1.key }.map { "\($0.key)=\(VNPayProtocol.urlencode($0.value))" }.joined(separator: "&")
        return response
    }

    private func query(_ body: [String: Any]) async -> Response {
        let s = { (key: String) in SandboxJSON.string(body, key) }
        let raw = MoMoProtocol.querySignatureInput(accessKey: configuration.keys.momoAccessKey, orderId: s("orderId"), partnerCode: s("partnerCode"), requestId: s("requestId"))
        guard GatewaySignature.hexEquals(GatewaySignature.hmacSHA256(raw, key: configuration.keys.momoSecretKey), s("signature")) else {
            return SandboxJSON.response(["resultCode": 20, "message": "Bad format request."])
        }
        guard let order = await orders.order(s("orderId")) else { return SandboxJSON.response(["resultCode": 42, "message": "Invalid orderId or orderId is not found.", "orderId": s("orderId")]) }
        let code: Int
        switch order.state {
        case .pending: code = 1000
        case .paid, .refunded: code = 0
        case .cancelled: code = 1006
        }
        return SandboxJSON.response([
            "partnerCode": gateway.momoPartnerCode, "orderId": order.reference, "requestId": s("requestId"), "amount": order.amountMinor / 100,
            "transId": Int64(order.transactionNo) ?? 0, "resultCode": code, "message": code == 0 ? "Thành công." : "Pending or failed",
            "responseTime": Int64(Date().timeIntervalSince1970 * 1000), "payType": "qr", "extraData": "",
        ])
    }

    private func refund(_ body: [String: Any]) async -> Response {
        let s = { (key: String) in SandboxJSON.string(body, key) }
        guard let amount = SandboxJSON.int64(body, "amount"), let transID = SandboxJSON.int64(body, "transId") else { return SandboxJSON.response(["resultCode": 20, "message": "Bad format request."]) }
        let raw = MoMoProtocol.refundSignatureInput(accessKey: configuration.keys.momoAccessKey, amount: amount, description: s("description"), orderId: s("orderId"),
                                                    partnerCode: s("partnerCode"), requestId: s("requestId"), transId: transID)
        guard GatewaySignature.hexEquals(GatewaySignature.hmacSHA256(raw, key: configuration.keys.momoSecretKey), s("signature")) else {
            return SandboxJSON.response(["resultCode": 20, "message": "Bad format request."])
        }
        if let reference = await orders.reference(forTransaction: String(transID)), await orders.order(reference)?.state == .refunded {
            return SandboxJSON.response(["resultCode": 41, "message": "Duplicate orderId."])
        }
        guard let reference = await orders.reference(forTransaction: String(transID)), let order = await orders.order(reference), order.state == .paid,
              amount <= order.amountMinor / 100 else {
            return SandboxJSON.response(["resultCode": 1080, "message": "Refund refused."])
        }
        await orders.update(reference, state: .refunded)
        return SandboxJSON.response(["resultCode": 0, "message": "Thành công.", "orderId": s("orderId"), "transId": transID, "amount": amount])
    }
}
