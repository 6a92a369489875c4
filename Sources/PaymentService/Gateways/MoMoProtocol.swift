/// MoMo AIO v2 (`captureWallet`): the raw `k=v&…` strings it signs with HMAC-SHA256
/// (research/payments.md §2). Values go in exactly as sent or received: no URL-encoding, no
/// Unicode normalization, numbers as integers.
public enum MoMoProtocol {
    static func signed(_ pairs: [(String, String)]) -> String {
        pairs.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    public struct CreateRequest: Sendable, Equatable {
        public var partnerCode, requestId, orderId, orderInfo, redirectUrl, ipnUrl, requestType, extraData: String
        public var amount: Int64

        public init(partnerCode: String, requestId: String, amount: Int64, orderId: String, orderInfo: String, redirectUrl: String, ipnUrl: String, requestType: String = "captureWallet", extraData: String = "") {
            self.partnerCode = partnerCode
            self.requestId = requestId
            self.amount = amount
            self.orderId = orderId
            self.orderInfo = orderInfo
            self.redirectUrl = redirectUrl
            self.ipnUrl = ipnUrl
            self.requestType = requestType
            self.extraData = extraData
        }
    }

    public static func createSignatureInput(_ r: CreateRequest, accessKey: String) -> String {
        signed([
            ("accessKey", accessKey), ("amount", String(r.amount)), ("extraData", r.extraData), ("ipnUrl", r.ipnUrl),
            ("orderId", r.orderId), ("orderInfo", r.orderInfo), ("partnerCode", r.partnerCode), ("redirectUrl", r.redirectUrl),
            ("requestId", r.requestId), ("requestType", r.requestType),
        ])
    }

    /// The IPN (and redirect) body fields that are signed.
    public struct Notification: Sendable, Equatable, Codable {
        public var partnerCode, orderId, requestId, orderInfo, orderType, message, payType, extraData, signature: String
        public var amount, transId, responseTime: Int64
        public var resultCode: Int

        public init(partnerCode: String, orderId: String, requestId: String, amount: Int64, orderInfo: String, orderType: String, transId: Int64, resultCode: Int, message: String, payType: String, responseTime: Int64, extraData: String, signature: String) {
            self.partnerCode = partnerCode
            self.orderId = orderId
            self.requestId = requestId
            self.amount = amount
            self.orderInfo = orderInfo
            self.orderType = orderType
            self.transId = transId
            self.resultCode = resultCode
            self.message = message
            self.payType = payType
            self.responseTime = responseTime
            self.extraData = extraData
            self.signature = signature
        }
    }

    public static func notificationSignatureInput(_ n: Notification, accessKey: String) -> String {
        signed([
            ("accessKey", accessKey), ("amount", String(n.amount)), ("extraData", n.extraData), ("message", n.message),
            ("orderId", n.orderId), ("orderInfo", n.orderInfo), ("orderType", n.orderType), ("partnerCode", n.partnerCode),
            ("payType", n.payType), ("requestId", n.requestId), ("responseTime", String(n.responseTime)),
            ("resultCode", String(n.resultCode)), ("transId", String(n.transId)),
        ])
    }

    /// False without both keys: a gateway without credentials accepts no notification.
    public static func verify(_ n: Notification, accessKey: String?, secretKey: String?) -> Bool {
        guard let accessKey, let secretKey = GatewaySignature.usable(secretKey) else { return false }
        return GatewaySignature.hexEquals(GatewaySignature.hmacSHA256(notificationSignatureInput(n, accessKey: accessKey), key: secretKey), n.signature)
    }

    public static func querySignatureInput(accessKey: String, orderId: String, partnerCode: String, requestId: String) -> String {
        signed([("accessKey", accessKey), ("orderId", orderId), ("partnerCode", partnerCode), ("requestId", requestId)])
    }

    public static func refundSignatureInput(accessKey: String, amount: Int64, description: String, orderId: String, partnerCode: String, requestId: String, transId: Int64) -> String {
        signed([
            ("accessKey", accessKey), ("amount", String(amount)), ("description", description), ("orderId", orderId),
            ("partnerCode", partnerCode), ("requestId", requestId), ("transId", String(transId)),
        ])
    }
}
