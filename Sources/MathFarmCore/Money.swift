import Foundation

/// An exact amount of Vietnamese dong, stored as hundredths (the DECIMAL(15,2) of the schema).
///
/// Never a floating-point value: amounts cross the API as decimal strings (`"10000.00"`) and
/// the database as `numeric`; arithmetic is on integers.
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
