import Foundation

/// The checks request fields share, so that a limit is written once and means the same
/// everywhere (and in the OpenAPI document, which quotes these constants).
///
/// Lengths count Unicode scalars, as PostgreSQL's `VARCHAR(n)` and JSON Schema's `maxLength`
/// do: Vietnamese typed with combining marks has more scalars than visible characters, and a
/// grapheme count would let a 256-scalar title through to a 255-character column.
public enum FieldRules {
    /// The length limits count this.
    public static func length(_ text: String) -> Int { text.unicodeScalars.count }

    /// `value` within `range` scalars (after nothing: callers trim where the field is trimmed).
    @discardableResult
    public static func text(_ value: String, field: String, range: ClosedRange<Int>) throws -> String {
        let count = length(value)
        if count < range.lowerBound {
            throw range.lowerBound == 1 ? APIError.missingField(field) : APIError.invalidField(
                field, vi: "Trường '\(field)' cần ít nhất \(range.lowerBound) ký tự.", en: "The field '\(field)' needs at least \(range.lowerBound) characters."
            )
        }
        if count > range.upperBound { throw APIError.tooLong(field, limit: range.upperBound) }
        return value
    }

    /// An optional text: nil stays nil; present, it is checked like `text`.
    @discardableResult
    public static func optionalText(_ value: String?, field: String, max: Int) throws -> String? {
        guard let value else { return nil }
        return try text(value, field: field, range: 0...max)
    }

    /// Integers stored in `INTEGER` columns, with a documented range inside int32.
    @discardableResult
    public static func integer(_ value: Int?, field: String, range: ClosedRange<Int>) throws -> Int? {
        guard let value else { return nil }
        guard range.contains(value) else {
            throw APIError.invalidField(
                field, vi: "Trường '\(field)' phải từ \(range.lowerBound) đến \(range.upperBound).",
                en: "The field '\(field)' must be between \(range.lowerBound) and \(range.upperBound)."
            )
        }
        return value
    }

    public static let maxURLLength = 2_048

    /// A URL a page may show or link to: absolute `https` or `http` with a host, no spaces or
    /// control characters, at most 2,048 characters. `javascript:`, `data:`, `file:`,
    /// protocol-relative and relative URLs are refused.
    @discardableResult
    public static func webURL(_ value: String?, field: String) throws -> String? {
        guard let value, !value.isEmpty else { return nil }
        let refused = APIError.invalidField(
            field, vi: "Trường '\(field)' phải là địa chỉ http(s) đầy đủ.", en: "The field '\(field)' must be an absolute http(s) URL."
        )
        guard length(value) <= maxURLLength else { throw APIError.tooLong(field, limit: maxURLLength) }
        guard value.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F && !(0x80...0x9F).contains($0.value) }),
              let components = URLComponents(string: value),
              let scheme = components.scheme?.lowercased(), scheme == "https" || scheme == "http",
              let host = components.host, !host.isEmpty, components.user == nil, components.password == nil
        else { throw refused }
        return value
    }

    /// A calendar date (`2026-02-28`) or an ISO 8601 date and time with an offset
    /// (`2026-02-28T10:00:00Z`, fractions allowed). Impossible dates (`2026-02-30`) and years
    /// outside 1970–9999 are refused here, not by the database.
    public static func date(_ text: String, field: String) throws -> Date {
        let invalid = APIError.invalidField(
            field, vi: "Trường '\(field)' phải là ngày ISO 8601 (YYYY-MM-DD hoặc có giờ và múi giờ).",
            en: "The field '\(field)' must be an ISO 8601 date (YYYY-MM-DD, or a date and time with an offset)."
        )
        guard (10...40).contains(text.utf8.count), text.unicodeScalars.allSatisfy(\.isASCII) else { throw invalid }
        let parsed: Date?
        if text.utf8.count == 10 {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withFullDate]
            formatter.timeZone = TimeZone(identifier: "UTC")
            parsed = formatter.date(from: text)
        } else {
            let plain = ISO8601DateFormatter()
            let fractional = ISO8601DateFormatter()
            fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            parsed = plain.date(from: text) ?? fractional.date(from: text)
        }
        guard let date = parsed else { throw invalid }
        // The formatter rolls 2026-02-30 over to March: only a date that prints back is real.
        let day = String(text.prefix(10))
        // An offset no time zone has (+21:37) has no TimeZone; a formatter left without one
        // traps in Foundation, so it is refused here.
        guard let zone = text.utf8.count == 10 ? TimeZone(identifier: "UTC") : Self.offset(of: text) else { throw invalid }
        let check = ISO8601DateFormatter()
        check.formatOptions = [.withFullDate]
        check.timeZone = zone
        guard check.string(from: date) == day else { throw invalid }
        let year = Int(day.prefix(4)) ?? 0
        guard (1970...9999).contains(year) else { throw invalid }
        return date
    }

    /// The UTC offset written at the end of a date-time (`Z`, `+07:00`).
    static func offset(of text: String) -> TimeZone? {
        if text.hasSuffix("Z") || text.hasSuffix("z") { return TimeZone(identifier: "UTC") }
        let tail = text.suffix(6)
        guard tail.count == 6, let sign = tail.first, sign == "+" || sign == "-",
              let hours = Int(tail.dropFirst().prefix(2)), let minutes = Int(tail.suffix(2)) else { return nil }
        guard hours <= 18, minutes < 60 else { return nil }
        let seconds = (hours * 3600 + minutes * 60) * (sign == "-" ? -1 : 1)
        return TimeZone(secondsFromGMT: seconds)
    }
}
