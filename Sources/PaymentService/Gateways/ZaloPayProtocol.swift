/// ZaloPay v2: MAC inputs (research/payments.md §3). key1 signs what the merchant sends
/// (create, query, refund); key2 signs what ZaloPay sends (callback over the raw `data` string,
/// redirect).
public enum ZaloPayProtocol {
    public static func createMACInput(appID: Int, appTransID: String, appUser: String, amount: Int64, appTime: Int64, embedData: String, item: String) -> String {
        "\(appID)|\(appTransID)|\(appUser)|\(amount)|\(appTime)|\(embedData)|\(item)"
    }

    public static func queryMACInput(appID: Int, appTransID: String, key1: String) -> String {
        "\(appID)|\(appTransID)|\(key1)"
    }

    public static func refundMACInput(appID: Int, zpTransID: Int64, amount: Int64, description: String, timestamp: Int64) -> String {
        "\(appID)|\(zpTransID)|\(amount)|\(description)|\(timestamp)"
    }

    /// The callback's MAC is over `data` exactly as received: never re-serialised.
    public static func verifyCallback(data: String, mac: String, key2: String?) -> Bool {
        guard let key2 = GatewaySignature.usable(key2) else { return false }
        return GatewaySignature.hexEquals(GatewaySignature.hmacSHA256(data, key: key2), mac)
    }

    /// The callback's `data` fields the merchant acts on.
    public struct CallbackData: Decodable, Sendable {
        public var app_id: Int
        public var app_trans_id: String
        public var amount: Int64
        public var zp_trans_id: Int64
    }

    /// `yyMMdd` of `date` in GMT+7: the required prefix of `app_trans_id`.
    public static func datePrefix(_ timestamp: String) -> String {
        String(timestamp.dropFirst(2).prefix(6))
    }
}
