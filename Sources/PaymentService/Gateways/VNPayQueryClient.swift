import AsyncHTTPClient
import Foundation
import NIOCore

/// VNPay querydr: asks VNPay what became of an order whose IPN never arrived. The request and
/// the response are both signed (research §1.7); an unsigned or mis-signed answer is ignored.
public struct VNPayQueryClient: Sendable {
    let configuration: DepositConfiguration
    let client: HTTPClient

    public init(configuration: DepositConfiguration, client: HTTPClient = .shared) {
        self.configuration = configuration
        self.client = client
    }

    public enum Outcome: Sendable, Equatable {
        case paid(amountMinor: Int64, transactionNo: String)
        case notPaid
        /// Not found, pending, or VNPay could not be asked: leave the deposit alone for now.
        case unknown
    }

    public func query(reference: String, createdAt: Date) async -> Outcome {
        guard let secret = GatewaySignature.usable(configuration.vnpayHashSecret) else { return .unknown }
        let now = Date()
        var fields = [
            "vnp_RequestId": String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(32)),
            "vnp_Version": "2.1.0", "vnp_Command": "querydr", "vnp_TmnCode": configuration.vnpayTmnCode, "vnp_TxnRef": reference,
            "vnp_OrderInfo": "Truy van \(reference)", "vnp_TransactionDate": VNPayProtocol.timestamp(createdAt),
            "vnp_CreateDate": VNPayProtocol.timestamp(now), "vnp_IpAddr": "127.0.0.1",
        ]
        fields["vnp_SecureHash"] = GatewaySignature.hmacSHA512(VNPayProtocol.queryHashInput(fields), key: secret)
        do {
            var request = HTTPClientRequest(url: configuration.vnpayAPIURL)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: try JSONEncoder().encode(fields)))
            let response = try await client.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 1 << 20)
            guard let answer = try? JSONDecoder().decode([String: String].self, from: Data(buffer: body)) else { return .unknown }
            // 91: VNPay never saw the order (the customer never opened the payment page).
            if answer["vnp_ResponseCode"] == "91" { return .notPaid }
            guard GatewaySignature.hexEquals(GatewaySignature.hmacSHA512(VNPayProtocol.queryResponseHashInput(answer), key: secret), answer["vnp_SecureHash"] ?? ""),
                  answer["vnp_ResponseCode"] == "00", answer["vnp_TxnRef"] == reference else { return .unknown }
            switch answer["vnp_TransactionStatus"] {
            case "00":
                guard let amount = answer["vnp_Amount"].flatMap(Int64.init) else { return .unknown }
                return .paid(amountMinor: amount, transactionNo: answer["vnp_TransactionNo"] ?? "")
            default:
                // Asked only after the deposit (and so VNPay's page, vnp_ExpireDate) expired:
                // "not completed" (01) is final now, like a failure.
                return .notPaid
            }
        } catch {
            return .unknown
        }
    }
}
