import Foundation

/// Parses the number forms of the solve API: an integer (`"-12"`, `"+3"`), a decimal (`"1.25"`,
/// `".5"`, `"5."`), scientific notation (`"1e3"`, `"2.5E-4"`, exact), or a fraction (`"3/4"`,
/// `"-3/4"`), exactly; surrounding spaces are ignored.
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
        // Scientific notation, exactly: 2.5E-4 = 25/100000.
        var exponent = 0
        if let mark = body.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            var power = body[body.index(after: mark)...]
            var negativePower = false
            if power.first == "-" || power.first == "+" {
                negativePower = power.first == "-"
                power = power.dropFirst()
            }
            guard !power.isEmpty, power.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw .malformed }
            guard power.count <= 4, let magnitude = Int(power), magnitude <= maxDigits else { throw .tooManyDigits }
            exponent = negativePower ? -magnitude : magnitude
            body = body[..<mark]
        }
        // A point with digits on at least one side: "0.5", ".5" and "5." are all numbers.
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, let whole = parts.first else { throw .malformed }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard !(whole.isEmpty && fraction.isEmpty), (whole + fraction).allSatisfy({ $0.isASCII && $0.isNumber }) else { throw .malformed }
        guard let digits = BigInt(whole + fraction) else { throw .malformed }
        let scale = exponent - fraction.count
        let value = scale >= 0 ? Rational(digits * BigInt.tenToThe(UInt(scale)), .one) : Rational(digits, BigInt.tenToThe(UInt(-scale)))
        return negative ? -value : value
    }
}
