import Foundation
import MathFarmCore

/// How numbers, money and dates are written for people, per language: Vietnamese groups
/// thousands with "." and writes decimals with ",", so 2000 dong is "2.000 ₫" and 0.5 is "0,5";
/// English writes "2,000 ₫" and "0.5". Exact values stay exact: a decimal string is only
/// re-punctuated, never re-computed.
enum Formatting {
    /// "2.000 ₫" / "2,000 ₫" (a no-break space before ₫); hundredths only when there are any.
    static func money(_ amount: Money, _ language: Language) -> String {
        let magnitude = amount.minorUnits.magnitude
        var text = groupThousands(String(magnitude / 100), language)
        let cents = magnitude % 100
        if cents != 0 {
            text += (language == .vi ? "," : ".") + (cents < 10 ? "0" : "") + String(cents)
        }
        // A no-break space: the amount and its sign never wrap apart on a narrow screen.
        return (amount.minorUnits < 0 ? "−" : "") + text + "\u{00A0}₫"
    }

    /// A whole number with thousands grouped.
    static func integer(_ value: Int, _ language: Language) -> String {
        (value < 0 ? "−" : "") + groupThousands(String(value.magnitude), language)
    }

    static func groupThousands(_ digits: String, _ language: Language) -> String {
        let separator: Character = language == .vi ? "." : ","
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(separator) }
            result.append(character)
        }
        return result
    }

    /// A decimal string from the solver ("-0.38196601125") in the language's notation. The
    /// digits are the solver's; only the decimal point changes (Vietnamese: comma).
    static func decimal(_ text: String, _ language: Language) -> String {
        language == .vi ? text.replacingOccurrences(of: ".", with: ",") : text
    }

    /// Percentages as stored ("1.10") in the language's notation, trailing zeros dropped.
    static func percent(_ text: String, _ language: Language) -> String {
        var trimmed = text
        if trimmed.contains(".") {
            while trimmed.hasSuffix("0") { trimmed.removeLast() }
            if trimmed.hasSuffix(".") { trimmed.removeLast() }
        }
        return decimal(trimmed, language) + "%"
    }

    static let vietnamTime: TimeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? TimeZone(secondsFromGMT: 7 * 3600) ?? .gmt

    /// "02/12/2026 14:05" (vi) or "2026-12-02 14:05" (en), Vietnam time (the students' clock).
    static func dateTime(_ date: Date, _ language: Language) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = vietnamTime
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let (y, m, d, h, mi) = (c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        switch language {
        case .vi: return "\(two(d))/\(two(m))/\(y) \(two(h)):\(two(mi))"
        case .en: return "\(y)-\(two(m))-\(two(d)) \(two(h)):\(two(mi))"
        }
    }

    /// ISO 8601 for `<time datetime>` and the sitemap.
    static func iso8601(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
