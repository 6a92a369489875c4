import Foundation

/// VNPay API 2.1.0: the signed payment URL, IPN/return verification, and the querydr and refund
/// request hashes (research/payments.md §1). The canonical string is built by hand with PHP's
/// `urlencode` (space → `+`, uppercase `%XX`, UTF-8), from the raw received values, keys sorted
/// byte-wise, empty values skipped, `vnp_SecureHash`/`vnp_SecureHashType` excluded.
public enum VNPayProtocol {
    /// PHP `urlencode`: letters, digits and `-_.` stay; space is `+`; everything else `%XX`.
    public static func urlencode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x5F, 0x2E:
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case 0x20:
                out.append("+")
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    /// PHP `urldecode` of one query component: `+` is space, `%XX` a byte. nil for a broken escape.
    public static func urldecode(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == 0x2B {
                bytes.append(0x20)
            } else if byte == 0x25 {
                guard iterator.count >= 2, let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16) else { return nil }
                bytes.append(value)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(bytes: bytes, encoding: .utf8)
    }

    /// Parses a raw query string into decoded pairs (later duplicates win). nil when malformed.
    public static func parseQuery(_ query: String) -> [String: String]? {
        var fields: [String: String] = [:]
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = urldecode(pieces[0]) else { return nil }
            guard let value = pieces.count > 1 ? urldecode(pieces[1]) : "" else { return nil }
            fields[key] = value
        }
        return fields
    }

    /// The string VNPay signs: every non-empty `vnp_*` field but the hash ones, sorted by key bytes.
    public static func canonicalString(_ fields: [String: String]) -> String {
        fields
            .filter { $0.key.hasPrefix("vnp_") && $0.key != "vnp_SecureHash" && $0.key != "vnp_SecureHashType" && !$0.value.isEmpty }
            .sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
            .map { "\(urlencode($0.key))=\(urlencode($0.value))" }
            .joined(separator: "&")
    }

    public static func sign(_ fields: [String: String], secret: String) -> String {
        GatewaySignature.hmacSHA512(canonicalString(fields), key: secret)
    }

    /// Whether `vnp_SecureHash` in the received fields signs the rest (never without a secret).
    public static func verify(_ fields: [String: String], secret: String?) -> Bool {
        guard let received = fields["vnp_SecureHash"], let secret = GatewaySignature.usable(secret) else { return false }
        return GatewaySignature.hexEquals(sign(fields, secret: secret), received)
    }

    /// The payment URL: the canonical query plus its hash.
    public static func paymentURL(base: String, fields: [String: String], secret: String) -> String {
        let query = canonicalString(fields)
        return "\(base)?\(query)&vnp_SecureHash=\(GatewaySignature.hmacSHA512(query, key: secret))"
    }

    /// `yyyyMMddHHmmss` in Asia/Ho_Chi_Minh (GMT+7, no daylight saving).
    public static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 7 * 3600) ?? .gmt
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02d%02d%02d%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    /// querydr: `RequestId|Version|Command|TmnCode|TxnRef|TransactionDate|CreateDate|IpAddr|OrderInfo`, raw values.
    public static func queryHashInput(_ f: [String: String]) -> String {
        ["vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef", "vnp_TransactionDate", "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo"]
            .map { f[$0] ?? "" }.joined(separator: "|")
    }

    /// refund: `RequestId|Version|Command|TmnCode|TransactionType|TxnRef|Amount|TransactionNo|TransactionDate|CreateBy|CreateDate|IpAddr|OrderInfo`.
    public static func refundHashInput(_ f: [String: String]) -> String {
        ["vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TransactionType", "vnp_TxnRef", "vnp_Amount", "vnp_TransactionNo",
         "vnp_TransactionDate", "vnp_CreateBy", "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo"]
            .map { f[$0] ?? "" }.joined(separator: "|")
    }

    /// querydr response: `ResponseId|Command|ResponseCode|Message|TmnCode|TxnRef|Amount|BankCode|
    /// PayDate|TransactionNo|TransactionType|TransactionStatus|OrderInfo|PromotionCode|PromotionAmount`
    /// (order from a library, research §1.7; the raw received values).
    public static func queryResponseHashInput(_ f: [String: String]) -> String {
        ["vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode", "vnp_TxnRef", "vnp_Amount", "vnp_BankCode",
         "vnp_PayDate", "vnp_TransactionNo", "vnp_TransactionType", "vnp_TransactionStatus", "vnp_OrderInfo", "vnp_PromotionCode", "vnp_PromotionAmount"]
            .map { f[$0] ?? "" }.joined(separator: "|")
    }

    /// The IPN answers (HTTP 200, JSON), in VNPay's own words.
    public enum IPNAnswer: String, Sendable {
        case confirmed = "00"
        case orderNotFound = "01"
        case alreadyConfirmed = "02"
        case invalidAmount = "04"
        case invalidSignature = "97"
        case unknownError = "99"

        public var message: String {
            switch self {
            case .confirmed: return "Confirm Success"
            case .orderNotFound: return "Order not found"
            case .alreadyConfirmed: return "Order already confirmed"
            case .invalidAmount: return "invalid amount"
            case .invalidSignature: return "Invalid signature"
            case .unknownError: return "Unknow error"
            }
        }
    }
}
