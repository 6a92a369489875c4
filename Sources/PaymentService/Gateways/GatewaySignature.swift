import Crypto
import Foundation

/// The HMACs the gateways sign with, as lowercase hex, and the constant-time comparison every
/// notification check uses (hex decoded first, so case does not matter and timing does not leak).
public enum GatewaySignature {
    /// The key to sign or verify with, or nil when there is none: an unset or empty key must
    /// never sign or accept anything (an HMAC with an empty key is one anybody can compute).
    public static func usable(_ key: String?) -> String? {
        guard let key, !key.isEmpty else { return nil }
        return key
    }

    public static func hmacSHA256(_ message: String, key: String) -> String {
        hex(Data(HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: Data(key.utf8)))))
    }

    public static func hmacSHA512(_ message: String, key: String) -> String {
        hex(Data(HMAC<SHA512>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: Data(key.utf8)))))
    }

    static func hex(_ bytes: Data) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether two hex strings encode the same bytes; time depends only on the lengths.
    public static func hexEquals(_ lhs: String, _ rhs: String) -> Bool {
        guard let a = bytes(fromHex: lhs), let b = bytes(fromHex: rhs), a.count == b.count, !a.isEmpty else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    static func bytes(fromHex text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 65...70: return c - 55
            case 97...102: return c - 87
            default: return nil
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = value(utf8[index]), let low = value(utf8[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }
}
