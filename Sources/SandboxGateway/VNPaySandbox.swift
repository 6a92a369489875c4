import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import MathFarmCore
import PaymentService

/// VNPay's side: the payment page behind the signed URL, the IPN (signed, retried on 01, 04,
/// 97, 99 or no answer, up to 10 calls; stopped by 00 or 02), the browser return, and the
/// querydr/refund API.
struct VNPaySandbox: Sendable {
    let configuration: SandboxConfiguration
    let orders: SandboxOrders
    let delivery: NotificationDelivery

    func register(on router: Router<BasicRequestContext>) {
        router.get("paymentv2/vpcpay.html") { request, _ in try await paymentPage(request) }
        router.post("paymentv2/decide") { request, _ in try await decide(request) }
        router.post("merchant_webapi/api/transaction") { request, _ in try await transactionAPI(request) }
    }

    private var secret: String { configuration.keys.vnpayHashSecret }

    private func paymentPage(_ request: Request) async throws -> Response {
        guard let fields = VNPayProtocol.parseQuery(request.uri.query ?? ""), VNPayProtocol.verify(fields, secret: secret),
              fields["vnp_TmnCode"] == configuration.gateway.vnpayTmnCode, let reference = fields["vnp_TxnRef"],
              let amount = fields["vnp_Amount"].flatMap(Int64.init) else {
            return html("<h1>Sai chữ ký / Invalid signature</h1>", status: .badRequest)
        }
        await orders.record(.init(
            reference: reference, amountMinor: amount, createDate: fields["vnp_CreateDate"] ?? "", orderInfo: fields["vnp_OrderInfo"] ?? "",
            returnURL: fields["vnp_ReturnUrl"] ?? "", state: .pending, transactionNo: "0"
        ))
        let dong = amount / 100
        return html("""
            <h1>VNPay sandbox</h1><p>Đơn hàng / Order <b>\(reference)</b>: <b>\(dong) VND</b></p>
            <form method="post" action="/paymentv2/decide?ref=\(reference)&action=pay"><button>Thanh toán / Pay</button></form>
            <form method="post" action="/paymentv2/decide?ref=\(reference)&action=cancel"><button>Hủy / Cancel</button></form>
            """)
    }

    /// The customer pays or cancels: VNPay notifies the merchant, then sends the browser back.
    private func decide(_ request: Request) async throws -> Response {
        let query = VNPayProtocol.parseQuery(request.uri.query ?? "") ?? [:]
        guard let reference = query["ref"], let order = await orders.order(reference), order.state == .pending else {
            return html("<h1>Không tìm thấy đơn / Order not found</h1>", status: .notFound)
        }
        let paid = query["action"] == "pay"
        let transactionNo = paid ? String(Int.random(in: 10_000_000...99_999_999)) : "0"
        await orders.update(reference, state: paid ? .paid : .cancelled, transactionNo: transactionNo)
        var fields = [
            "vnp_Amount": String(order.amountMinor), "vnp_BankCode": paid ? "NCB" : "VNPAY", "vnp_CardType": paid ? "ATM" : "QRCODE",
            "vnp_OrderInfo": order.orderInfo, "vnp_ResponseCode": paid ? "00" : "24", "vnp_TmnCode": configuration.gateway.vnpayTmnCode,
            "vnp_TransactionNo": transactionNo, "vnp_TransactionStatus": paid ? "00" : "02", "vnp_TxnRef": reference,
        ]
        if paid {
            fields["vnp_BankTranNo"] = "VNP\(transactionNo)"
            fields["vnp_PayDate"] = VNPayProtocol.timestamp(Date())
        }
        let signed = VNPayProtocol.canonicalString(fields) + "&vnp_SecureHash=" + VNPayProtocol.sign(fields, secret: secret)
        let orders = self.orders
        let ipn = "\(configuration.vnpayIPNURL)?\(signed)"
        let attempts = configuration.vnpayMaxAttempts
        let delivery = self.delivery
        Task {
            await delivery.send(method: .GET, url: ipn, body: nil, contentType: nil, attempts: attempts, shouldRetry: { answer in
                // 00 and 02 end the flow; 01, 04, 97, 99 or no answer make VNPay call again.
                guard let answer, let code = Self.rspCode(answer.body) else { return true }
                return !["00", "02"].contains(code)
            }, onAnswer: { answer in
                await orders.delivered(reference, answer: answer.flatMap { Self.rspCode($0.body) } ?? "none")
            })
        }
        var response = Response(status: .found)
        response.headers[.location] = "\(order.returnURL)?\(signed)"
        return response
    }

    static func rspCode(_ body: String) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["RspCode"] as? String
    }

    /// querydr and refund (JSON POST), hashes as documented (research §1.7).
    private func transactionAPI(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 64 * 1024)
        guard let fields = try? JSONDecoder().decode([String: String].self, from: Data(buffer: body)) else {
            return try json(["vnp_ResponseCode": "03", "vnp_Message": "Invalid format"])
        }
        let command = fields["vnp_Command"] ?? ""
        let input = command == "refund" ? VNPayProtocol.refundHashInput(fields) : VNPayProtocol.queryHashInput(fields)
        guard GatewaySignature.hexEquals(GatewaySignature.hmacSHA512(input, key: secret), fields["vnp_SecureHash"] ?? "") else {
            return try json(["vnp_ResponseCode": "97", "vnp_Message": "Invalid checksum"])
        }
        guard fields["vnp_TmnCode"] == configuration.gateway.vnpayTmnCode else { return try json(["vnp_ResponseCode": "02", "vnp_Message": "Invalid TmnCode"]) }
        guard let reference = fields["vnp_TxnRef"], let order = await orders.order(reference) else {
            return try json(["vnp_ResponseCode": "91", "vnp_Message": "Transaction not found"])
        }
        if command == "refund" {
            if order.state == .refunded { return try json(["vnp_ResponseCode": "94", "vnp_Message": "Refund already requested"]) }
            guard order.state == .paid else { return try json(["vnp_ResponseCode": "95", "vnp_Message": "Refund refused"]) }
            await orders.update(reference, state: .refunded)
        }
        let current = await orders.order(reference) ?? order
        let status: String
        switch current.state {
        case .pending: status = "01"
        case .paid: status = "00"
        case .cancelled: status = "02"
        case .refunded: status = "05"
        }
        var answer = [
            "vnp_ResponseId": UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(32).description,
            "vnp_Command": command, "vnp_ResponseCode": "00", "vnp_Message": "Success", "vnp_TmnCode": configuration.gateway.vnpayTmnCode,
            "vnp_TxnRef": reference, "vnp_Amount": String(current.amountMinor), "vnp_BankCode": "NCB", "vnp_PayDate": current.createDate,
            "vnp_TransactionNo": current.transactionNo, "vnp_TransactionType": command == "refund" ? "02" : "01", "vnp_TransactionStatus": status,
            "vnp_OrderInfo": current.orderInfo, "vnp_PromotionCode": "", "vnp_PromotionAmount": "",
        ]
        answer["vnp_SecureHash"] = GatewaySignature.hmacSHA512(VNPayProtocol.queryResponseHashInput(answer), key: secret)
        return try json(answer)
    }

    private func json(_ value: [String: String]) throws -> Response {
        var response = Response(status: .ok, body: .init(byteBuffer: ByteBuffer(data: try JSONEncoder().encode(value))))
        response.headers[.contentType] = "application/json"
        return response
    }
}

func html(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
    var response = Response(status: status, body: .init(byteBuffer: ByteBuffer(string: "<!doctype html><meta charset=utf-8><title>MathFarm sandbox</title>\(body)")))
    response.headers[.contentType] = "text/html; charset=utf-8"
    return response
}
