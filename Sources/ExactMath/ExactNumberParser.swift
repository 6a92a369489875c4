import Foundation

/// Parses the number forms of the solve API: an integer (`"-12"`), a decimal (`"1.25"`,
/// `"-.5"` is refused), or a fraction (`"3/4"`, `"-3/4"`), exactly.
public enum ExactNumberParser {
    /// Upper bound on digits in one number, so a request cannot make the solver chew on a
    /// million-digit coefficient. Documented in the README.
    public static let maxDigits = 1000

    public enum Failure: Error, Equatable, Sendable {
        case malformed
        case tooManyDigits
        case zeroDenominator
    }

    public static func parse(_ raw: String) throws(Failure) -> Rational {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard text.utf8.count <= maxDigits + 3 else { throw .tooManyDigits }
        if let slash = text.firstIndex(of: "/") {
            let top = text[..<slash].trimmingCharacters(in: .whitespaces)
            let bottom = text[text.index(after: slash)...].trimmingCharacters(in: .whitespaces)
            guard let numerator = BigInt(top), let denominator = BigInt(bottom) else { throw .malformed }
            guard !denominator.isZero else { throw .zeroDenominator }
            return Rational(numerator, denominator)
        }
        var body = Substring(text)
        var negative = false
        if body.first == "-" || body.first == "+" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, let whole = parts.first, !whole.isEmpty else { throw .malformed }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard parts.count == 1 || !fraction.isEmpty else { throw .malformed }
        guard let digits = BigInt(whole + fraction) else { throw .malformed }
        let value = Rational(digits, BigInt.tenToThe(UInt(fraction.count)))
        return negative ? -value : value
    }
}
