import Foundation

/// The payOS webhook (bank-transfer aggregator, research §4): HMAC-SHA256 with the checksum
/// key over the `data` object's keys sorted, joined `key=value` with `&`, values raw (null and
/// absent as empty, numbers as integers).
public enum PayOSWebhook {
    public static func signatureInput(_ data: [String: JSONScalar]) -> String {
        data.keys.sorted().map { "\($0)=\(data[$0]?.text ?? "")" }.joined(separator: "&")
    }

    public static func verify(_ data: [String: JSONScalar], signature: String, checksumKey: String?) -> Bool {
        guard let checksumKey = GatewaySignature.usable(checksumKey) else { return false }
        return GatewaySignature.hexEquals(GatewaySignature.hmacSHA256(signatureInput(data), key: checksumKey), signature)
    }

    /// A JSON scalar rendered as payOS renders it in the signed string.
    public enum JSONScalar: Decodable, Sendable, Equatable {
        case string(String)
        case integer(Int64)
        case bool(Bool)
        case null

        public init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null }
            else if let value = try? container.decode(Int64.self) { self = .integer(value) }
            else if let value = try? container.decode(Bool.self) { self = .bool(value) }
            else { self = .string(try container.decode(String.self)) }
        }

        public var text: String {
            switch self {
            case .string(let value): return value
            case .integer(let value): return String(value)
            case .bool(let value): return value ? "true" : "false"
            case .null: return ""
            }
        }
    }
}
