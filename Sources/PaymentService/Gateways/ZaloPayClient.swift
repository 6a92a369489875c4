import AsyncHTTPClient
import Foundation

/// The merchant's calls to ZaloPay v2: create, query and refund, MAC'd with key1 (research §3).
/// `app_trans_id` is `yyMMdd_<reference>` with the date in GMT+7, as ZaloPay requires.
public struct ZaloPayClient: Sendable {
    let configuration: DepositConfiguration
    let http: GatewayHTTP

    public init(configuration: DepositConfiguration, client: HTTPClient = .shared) {
        self.configuration = configuration
        self.http = GatewayHTTP(client: client)
    }

    public static func appTransID(reference: String, createdAt: Date) -> String {
        ZaloPayProtocol.datePrefix(VNPayProtocol.timestamp(createdAt)) + "_" + reference
    }

    public enum CreateOutcome: Sendable, Equatable {
        case orderURL(String)
        case refused(code: Int, message: String)
        case unreachable
    }

    public func create(reference: String, createdAt: Date, userID: UUID, amountDong: Int64, description: String, redirectURL: String, callbackURL: String) async -> CreateOutcome {
        guard let key1 = GatewaySignature.usable(configuration.zaloPayKey1) else { return .unreachable }
        let appTransID = Self.appTransID(reference: reference, createdAt: createdAt)
        let appTime = Int64(Date().timeIntervalSince1970 * 1000)
        let appUser = String(userID.uuidString.lowercased().prefix(36))
        let embedData = String(decoding: (try? JSONSerialization.data(withJSONObject: ["redirecturl": redirectURL])) ?? Data("{}".utf8), as: UTF8.self)
        let item = "[]"
        let mac = GatewaySignature.hmacSHA256(
            ZaloPayProtocol.createMACInput(appID: configuration.zaloPayAppID, appTransID: appTransID, appUser: appUser, amount: amountDong, appTime: appTime, embedData: embedData, item: item),
            key: key1
        )
        let body: [String: Any] = [
            "app_id": configuration.zaloPayAppID, "app_trans_id": appTransID, "app_user": appUser, "app_time": appTime, "amount": amountDong,
            "item": item, "embed_data": embedData, "description": description, "bank_code": "", "callback_url": callbackURL, "mac": mac,
        ]
        guard let answer = await http.postJSON("\(configuration.zaloPayAPIURL)/v2/create", body), let code = answer.int64("return_code") else { return .unreachable }
        guard code == 1, let url = answer.string("order_url") else { return .refused(code: Int(code), message: answer.string("return_message") ?? "") }
        return .orderURL(url)
    }

    public enum QueryOutcome: Sendable, Equatable {
        case paid(amountDong: Int64, zpTransID: Int64)
        case notPaid
        case unknown
    }

    public func query(reference: String, createdAt: Date) async -> QueryOutcome {
        guard let key1 = GatewaySignature.usable(configuration.zaloPayKey1) else { return .unknown }
        let appTransID = Self.appTransID(reference: reference, createdAt: createdAt)
        let mac = GatewaySignature.hmacSHA256(ZaloPayProtocol.queryMACInput(appID: configuration.zaloPayAppID, appTransID: appTransID, key1: key1), key: key1)
        let body: [String: Any] = ["app_id": configuration.zaloPayAppID, "app_trans_id": appTransID, "mac": mac]
        guard let answer = await http.postJSON("\(configuration.zaloPayAPIURL)/v2/query", body), let code = answer.int64("return_code") else { return .unknown }
        switch code {
        case 1:
            guard let amount = answer.int64("amount"), let zpTransID = answer.int64("zp_trans_id") else { return .unknown }
            return .paid(amountDong: amount, zpTransID: zpTransID)
        case 2:
            return .notPaid
        default:
            // 3: unpaid or processing. Asked only after expiry, an unpaid order stays unpaid.
            return answer["is_processing"] as? Bool == true ? .unknown : .notPaid
        }
    }

    public func refund(reference: String, zpTransID: Int64, amountDong: Int64, description: String) async -> GatewayRefundOutcome {
        guard let key1 = GatewaySignature.usable(configuration.zaloPayKey1) else { return .unknown }
        let timestamp = Int64(Date().timeIntervalSince1970 * 1000)
        let refundID = "\(ZaloPayProtocol.datePrefix(VNPayProtocol.timestamp(Date())))_\(configuration.zaloPayAppID)_R\(reference)"
        let mac = GatewaySignature.hmacSHA256(
            ZaloPayProtocol.refundMACInput(appID: configuration.zaloPayAppID, zpTransID: zpTransID, amount: amountDong, description: description, timestamp: timestamp),
            key: key1
        )
        let body: [String: Any] = [
            "app_id": configuration.zaloPayAppID, "m_refund_id": refundID, "zp_trans_id": zpTransID, "amount": amountDong,
            "timestamp": timestamp, "description": description, "mac": mac,
        ]
        guard let answer = await http.postJSON("\(configuration.zaloPayAPIURL)/v2/refund", body), let code = answer.int64("return_code") else { return .unknown }
        switch code {
        case 1, 3: return .accepted  // 3: accepted and processing
        default: return .refused("ZaloPay return_code \(code): \(answer.string("return_message") ?? "")")
        }
    }
}
