import AsyncHTTPClient
import Foundation

/// The merchant's calls to MoMo AIO v2: create (`captureWallet`), query and refund, each
/// signed as documented (research §2); answers carrying a signature are checked.
public struct MoMoClient: Sendable {
    let configuration: DepositConfiguration
    let http: GatewayHTTP

    public init(configuration: DepositConfiguration, client: HTTPClient = .shared) {
        self.configuration = configuration
        self.http = GatewayHTTP(client: client)
    }

    public enum CreateOutcome: Sendable, Equatable {
        case payURL(String)
        /// MoMo refused the order (resultCode ≠ 0).
        case refused(code: Int, message: String)
        /// No readable answer: MoMo may or may not have the order.
        case unreachable
    }

    public func create(reference: String, amountDong: Int64, orderInfo: String, redirectURL: String, ipnURL: String) async -> CreateOutcome {
        guard let accessKey = configuration.momoAccessKey, let secretKey = GatewaySignature.usable(configuration.momoSecretKey) else { return .unreachable }
        let request = MoMoProtocol.CreateRequest(
            partnerCode: configuration.momoPartnerCode, requestId: reference, amount: amountDong, orderId: reference,
            orderInfo: orderInfo, redirectUrl: redirectURL, ipnUrl: ipnURL
        )
        let signature = GatewaySignature.hmacSHA256(MoMoProtocol.createSignatureInput(request, accessKey: accessKey), key: secretKey)
        let body: [String: Any] = [
            "partnerCode": request.partnerCode, "requestId": request.requestId, "amount": request.amount, "orderId": request.orderId,
            "orderInfo": request.orderInfo, "redirectUrl": request.redirectUrl, "ipnUrl": request.ipnUrl, "requestType": request.requestType,
            "extraData": request.extraData, "lang": "vi", "signature": signature,
        ]
        guard let answer = await http.postJSON("\(configuration.momoAPIURL)/v2/gateway/api/create", body), let code = answer.int64("resultCode") else {
            return .unreachable
        }
        guard code == 0, let url = answer.string("payUrl") else { return .refused(code: Int(code), message: answer.string("message") ?? "") }
        return .payURL(url)
    }

    public enum QueryOutcome: Sendable, Equatable {
        case paid(amountDong: Int64, transID: Int64)
        case notPaid
        case unknown
    }

    public func query(reference: String) async -> QueryOutcome {
        guard let accessKey = configuration.momoAccessKey, let secretKey = GatewaySignature.usable(configuration.momoSecretKey) else { return .unknown }
        let requestID = "Q\(reference)\(Int(Date().timeIntervalSince1970))"
        let signature = GatewaySignature.hmacSHA256(
            MoMoProtocol.querySignatureInput(accessKey: accessKey, orderId: reference, partnerCode: configuration.momoPartnerCode, requestId: requestID),
            key: secretKey
        )
        let body: [String: Any] = ["partnerCode": configuration.momoPartnerCode, "requestId": requestID, "orderId": reference, "lang": "vi", "signature": signature]
        guard let answer = await http.postJSON("\(configuration.momoAPIURL)/v2/gateway/api/query", body), let code = answer.int64("resultCode"),
              answer.string("orderId") == reference else { return .unknown }
        switch code {
        case 0, 9000:
            guard let amount = answer.int64("amount"), let transID = answer.int64("transId") else { return .unknown }
            return .paid(amountDong: amount, transID: transID)
        case 1000, 7000, 7002:
            return .unknown  // still in progress
        default:
            return .notPaid
        }
    }

    /// Refunds `amountDong` of the payment `transID`. The refund's own orderId is derived from
    /// the deposit, so a retry is recognised as a duplicate (41) of an accepted refund.
    public func refund(reference: String, transID: Int64, amountDong: Int64, description: String) async -> GatewayRefundOutcome {
        guard let accessKey = configuration.momoAccessKey, let secretKey = GatewaySignature.usable(configuration.momoSecretKey) else { return .unknown }
        let refundOrder = "R\(reference)"
        let requestID = "\(refundOrder)\(Int(Date().timeIntervalSince1970))"
        let signature = GatewaySignature.hmacSHA256(
            MoMoProtocol.refundSignatureInput(accessKey: accessKey, amount: amountDong, description: description, orderId: refundOrder,
                                              partnerCode: configuration.momoPartnerCode, requestId: requestID, transId: transID),
            key: secretKey
        )
        let body: [String: Any] = [
            "partnerCode": configuration.momoPartnerCode, "orderId": refundOrder, "requestId": requestID, "amount": amountDong,
            "transId": transID, "lang": "vi", "description": description, "signature": signature,
        ]
        guard let answer = await http.postJSON("\(configuration.momoAPIURL)/v2/gateway/api/refund", body), let code = answer.int64("resultCode") else { return .unknown }
        switch code {
        case 0, 41: return .accepted
        case 7000, 7002, 99: return .unknown
        default: return .refused("MoMo resultCode \(code): \(answer.string("message") ?? "")")
        }
    }
}
