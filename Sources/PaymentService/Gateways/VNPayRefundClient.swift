import AsyncHTTPClient
import Foundation

/// VNPay refund (`vnp_Command=refund`, full refund `02`), signed with the pipe-joined fields
/// (research §1.7). 94 (a refund already requested) counts as accepted, so a retry is safe.
public struct VNPayRefundClient: Sendable {
    let configuration: DepositConfiguration
    let http: GatewayHTTP

    public init(configuration: DepositConfiguration, client: HTTPClient = .shared) {
        self.configuration = configuration
        self.http = GatewayHTTP(client: client)
    }

    public func refund(deposit: Deposit, createdBy: String) async -> GatewayRefundOutcome {
        guard let secret = GatewaySignature.usable(configuration.vnpayHashSecret) else { return .unknown }
        var fields = [
            "vnp_RequestId": String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(32)),
            "vnp_Version": "2.1.0", "vnp_Command": "refund", "vnp_TmnCode": configuration.vnpayTmnCode, "vnp_TransactionType": "02",
            "vnp_TxnRef": deposit.reference, "vnp_Amount": String(deposit.amount.minorUnits), "vnp_TransactionNo": deposit.externalID ?? "0",
            "vnp_TransactionDate": VNPayProtocol.timestamp(deposit.createdAt), "vnp_CreateBy": String(createdBy.prefix(100)),
            "vnp_CreateDate": VNPayProtocol.timestamp(Date()), "vnp_IpAddr": "127.0.0.1", "vnp_OrderInfo": "Hoan tien \(deposit.reference)",
        ]
        fields["vnp_SecureHash"] = GatewaySignature.hmacSHA512(VNPayProtocol.refundHashInput(fields), key: secret)
        guard let answer = await http.postJSON(configuration.vnpayAPIURL, fields), let code = answer.string("vnp_ResponseCode") else { return .unknown }
        switch code {
        case "00", "94": return .accepted
        case "99": return .unknown
        default: return .refused("VNPay vnp_ResponseCode \(code): \(answer.string("vnp_Message") ?? "")")
        }
    }
}
