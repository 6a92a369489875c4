import Foundation

/// An exact amount of Vietnamese dong, stored as hundredths (the DECIMAL(15,2) of the schema).
///
/// Never a floating-point value: amounts cross the API as decimal strings (`"10000.00"`) and
/// the database as `numeric`; arithmetic is on integers.
///
/// Bounded: every amount that comes from outside (a request, a gateway notification or query
/// answer) enters through a failable or throwing initialiser that refuses magnitudes past
/// `maximumMinorUnits` (what the DECIMAL(15,2) columns hold), so the `+` and `-` of two such
/// amounts cannot overflow. `init(minorUnits:)` and `init(dong:)` are for values the program or
/// the database already bounds; use `init?(checkedMinorUnits:)` / `init?(checkedDong:)` for
/// anything else.
public struct Money: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Hundredths of a dong.
    public let minorUnits: Int64

    /// The largest magnitude a DECIMAL(15,2) column holds.
    public static let maximumMinorUnits: Int64 = 999_999_999_999_999

    public static let zero = Money(minorUnits: 0)

    public init(minorUnits: Int64) {
        self.minorUnits = minorUnits
    }

    public init(dong: Int64) {
        self.minorUnits = dong * 100
    }

    /// nil past ±`maximumMinorUnits`.
    public init?(checkedMinorUnits value: Int64) {
        guard value.magnitude <= UInt64(Self.maximumMinorUnits) else { return nil }
        self.minorUnits = value
    }

    /// Whole dong from outside (MoMo, ZaloPay and payOS amounts); nil when out of range, where a
    /// plain `dong * 100` would trap.
    public init?(checkedDong dong: Int64) {
        let (minor, overflow) = dong.multipliedReportingOverflow(by: 100)
        guard !overflow else { return nil }
        self.init(checkedMinorUnits: minor)
    }

    /// An amount given as decimal digits of hundredths (VNPay's `vnp_Amount`, "VND × 100"):
    /// digits only, no sign, at most 15 digits; nil otherwise.
    public init?(minorUnitDigits text: some StringProtocol) {
        guard (1...15).contains(text.count), text.allSatisfy(\.isASCIIDigit), let value = Int64(text) else { return nil }
        self.init(checkedMinorUnits: value)
    }

    /// Whole dong given as decimal digits (bank webhooks, query answers), bounded like the rest.
    public init?(dongDigits text: some StringProtocol) {
        guard (1...13).contains(text.count), text.allSatisfy(\.isASCIIDigit), let value = Int64(text) else { return nil }
        self.init(checkedDong: value)
    }

    /// The sum, or nil past the bound.
    public func adding(_ other: Money) -> Money? {
        let (sum, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
        return overflow ? nil : Money(checkedMinorUnits: sum)
    }

    /// The difference, or nil past the bound.
    public func subtracting(_ other: Money) -> Money? {
        let (difference, overflow) = minorUnits.subtractingReportingOverflow(other.minorUnits)
        return overflow ? nil : Money(checkedMinorUnits: difference)
    }

    /// Whether this is a whole number of dong (deposits, prices and gateway amounts are).
    public var isWholeDong: Bool { minorUnits % 100 == 0 }

    /// The amount in whole dong, rounded toward zero.
    public var wholeDong: Int64 { minorUnits / 100 }

    /// Parses `"10000"`, `"-2500.5"`, `"12.34"`; nil for anything else (exponents, more than two
    /// decimals, more than 13 integer digits, stray characters).
    public init?(parsing text: String) {
        var digits = Substring(text.trimmingCharacters(in: .whitespaces))
        var negative = false
        if digits.first == "-" || digits.first == "+" {
            negative = digits.first == "-"
            digits = digits.dropFirst()
        }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2 else { return nil }
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        guard !whole.isEmpty, whole.count <= 13, fraction.count <= 2,
              whole.allSatisfy(\.isASCIIDigit), fraction.allSatisfy(\.isASCIIDigit),
              parts.count == 1 || !fraction.isEmpty,
              let wholeValue = Int64(whole)
        else { return nil }
        let fractionValue = Int64(fraction.padding(toLength: 2, withPad: "0", startingAt: 0)) ?? 0
        let magnitude = wholeValue * 100 + fractionValue
        self.minorUnits = negative ? -magnitude : magnitude
    }

    /// `"10000.00"`: always two decimals, like the database column.
    public var description: String {
        let magnitude = minorUnits.magnitude
        let whole = magnitude / 100
        let fraction = magnitude % 100
        return (minorUnits < 0 ? "-" : "") + "\(whole)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.minorUnits < rhs.minorUnits }
    public static func + (lhs: Money, rhs: Money) -> Money { Money(minorUnits: lhs.minorUnits + rhs.minorUnits) }
    public static func - (lhs: Money, rhs: Money) -> Money { Money(minorUnits: lhs.minorUnits - rhs.minorUnits) }
    public static prefix func - (value: Money) -> Money { Money(minorUnits: -value.minorUnits) }

    public var isPositive: Bool { minorUnits > 0 }

    /// Decodes a JSON string (`"1000.50"`) or a JSON integer (`1000`). Fractional JSON numbers are
    /// refused: they would have passed through a binary floating-point value.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let integer = try? container.decode(Int64.self) {
            guard integer.magnitude <= UInt64(Self.maximumMinorUnits / 100) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "amount out of range")
            }
            self.minorUnits = integer * 100
            return
        }
        let text = try container.decode(String.self)
        guard let parsed = Money(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a decimal amount with at most 2 decimals")
        }
        self = parsed
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
