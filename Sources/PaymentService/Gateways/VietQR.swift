/// VietQR: the EMVCo merchant-presented payload for a NAPAS 247 transfer (research §4), with
/// its CRC-16/CCITT-FALSE. The purpose field (62/08) carries the deposit's reference code, so a
/// bank statement line can be matched back to the deposit.
public enum VietQR {
    /// One TLV: two-digit id, two-digit length (characters), value.
    static func field(_ id: String, _ value: String) -> String {
        let length = value.count
        return id + (length < 10 ? "0\(length)" : "\(length)") + value
    }

    /// CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, no final xor; 4 uppercase hex.
    public static func crc(_ text: String) -> String {
        var crc: UInt16 = 0xFFFF
        for byte in text.utf8 {
            crc ^= UInt16(byte) << 8
            for _ in 0..<8 {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1
            }
        }
        let hex = String(crc, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - hex.count) + hex
    }

    /// A dynamic (single-use) payload to a bank account: BIN, account, amount in VND, purpose.
    /// The purpose is restricted to unaccented ASCII letters, digits and spaces, ≤ 25 characters.
    public static func payload(bankBIN: String, account: String, amount: Int64?, purpose: String, billNumber: String? = nil) -> String {
        let beneficiary = field("00", bankBIN) + field("01", account)
        let merchant = field("00", "A000000727") + field("01", beneficiary) + field("02", "QRIBFTTA")
        var additional = ""
        if let billNumber { additional += field("01", billNumber) }
        additional += field("08", purpose)
        var text = field("00", "01") + field("01", amount == nil ? "11" : "12") + field("38", merchant) + field("53", "704")
        if let amount { text += field("54", String(amount)) }
        text += field("58", "VN") + field("62", additional) + "6304"
        return text + crc(text)
    }

    /// Whether a payload's CRC matches and its format indicator is `01`.
    public static func isValid(_ payload: String) -> Bool {
        guard payload.hasPrefix("000201"), payload.count > 8 else { return false }
        let body = String(payload.dropLast(4))
        return body.hasSuffix("6304") && crc(body) == String(payload.suffix(4))
    }
}
