import ExactMath
import Symbolic

/// Parses a one-variable polynomial equation such as `2x^2 - 3x + 1 = 0` or `x^2 = 1/2x + 3`
/// into exact coefficients of `left - right` (index = power).
///
/// Terms: an optional coefficient (integer, decimal or `p/q`, bare or in parentheses as in
/// `(1/2)x^2`), an optional `*`, then the
/// variable with an optional `^n` or `**n`. Errors name the character position (1-based).
struct PolynomialEquationParser {
    static let maxLength = 2_000
    /// The quadratic's bound; `polynomial_equation` reads with its own (`parse(_:field:maxDegree:)`).
    static let maxDegree = 2

    struct Parsed: Equatable {
        var coefficients: [Rational]
        var variable: String
    }

    private let characters: [Character]
    private let maxDegree: Int
    private var position = 0
    private var variable: String?

    static func parse(_ text: String, field: String = "equation", maxDegree: Int = Self.maxDegree) throws(SolveError) -> Parsed {
        guard text.count <= maxLength else {
            throw .invalid(field, vi: "Phương trình dài quá \(maxLength) ký tự.", en: "The equation is longer than \(maxLength) characters.")
        }
        var parser = PolynomialEquationParser(characters: Array(text), maxDegree: maxDegree)
        return try parser.parseEquation(field: field)
    }

    private init(characters: [Character], maxDegree: Int) {
        self.characters = characters
        self.maxDegree = maxDegree
    }

    private mutating func parseEquation(field: String) throws(SolveError) -> Parsed {
        let left = try parseSide(field: field)
        skipSpaces()
        guard position < characters.count, characters[position] == "=" else {
            throw error(field, vi: "cần dấu '='", en: "expected '='")
        }
        position += 1
        let right = try parseSide(field: field)
        skipSpaces()
        guard position == characters.count else {
            throw error(field, vi: "ký tự thừa", en: "unexpected character")
        }
        var coefficients = [Rational](repeating: .zero, count: maxDegree + 1)
        for (power, value) in left { coefficients[power] = coefficients[power] + value }
        for (power, value) in right { coefficients[power] = coefficients[power] - value }
        return Parsed(coefficients: coefficients, variable: variable ?? "x")
    }

    private mutating func parseSide(field: String) throws(SolveError) -> [(Int, Rational)] {
        var terms: [(Int, Rational)] = []
        skipSpaces()
        var sign = Rational.one
        if let char = peek(), char == "+" || char == "-" {
            sign = char == "-" ? -Rational.one : .one
            position += 1
        }
        terms.append(try parseTerm(sign: sign, field: field))
        while true {
            skipSpaces()
            guard let char = peek(), char == "+" || char == "-" else { break }
            position += 1
            terms.append(try parseTerm(sign: char == "-" ? -Rational.one : .one, field: field))
        }
        return terms
    }

    private mutating func parseTerm(sign: Rational, field: String) throws(SolveError) -> (Int, Rational) {
        skipSpaces()
        var coefficient: Rational?
        if peek() == "(" {
            // A parenthesised coefficient, as in (1/2)x^2 or (-3)x.
            position += 1
            skipSpaces()
            var inner = Rational.one
            if let char = peek(), char == "+" || char == "-" {
                inner = char == "-" ? -Rational.one : .one
                position += 1
                skipSpaces()
            }
            inner = inner * (try parseFraction(field: field))
            skipSpaces()
            guard peek() == ")" else { throw error(field, vi: "cần ')'", en: "expected ')'") }
            position += 1
            coefficient = inner
            skipSpaces()
        } else if let char = peek(), char.isNumber || char == "." {
            coefficient = try parseFraction(field: field)
            skipSpaces()
        }
        // `2*x`, `(1/2)*x^2`: an explicit product sign before the variable (not `**`).
        if coefficient != nil, peek() == "*", position + 1 < characters.count, StudentNotation.ascii(characters[position + 1]) != "*" {
            position += 1
            skipSpaces()
            guard let next = peek(), next.isLetter else { throw error(field, vi: "cần biến sau '*'", en: "expected the variable after '*'") }
        }
        skipSpaces()
        guard let char = peek(), char.isLetter else {
            guard let coefficient else { throw error(field, vi: "cần một số hạng", en: "expected a term") }
            return (0, sign * coefficient)
        }
        let start = position
        while let next = peek(), next.isLetter || (next.isNumber && StudentNotation.superscriptDigit(next) == nil && position > start) || next == "_" {
            position += 1
        }
        let name = String(characters[start..<position])
        guard name.count <= 16 else { throw error(field, vi: "tên biến quá dài", en: "variable name too long") }
        if let variable, variable != name {
            position = start
            throw error(field, vi: "chỉ được một biến (đã có '\(variable)')", en: "only one variable is allowed (already have '\(variable)')")
        }
        variable = name
        var power = 1
        skipSpaces()
        if let first = peek(), StudentNotation.superscriptDigit(first) != nil {
            // x² and x²⁰: the exponent written as superscript digits.
            var digits = ""
            while let next = peek(), let digit = StudentNotation.superscriptDigit(next) {
                digits.append(digit)
                position += 1
            }
            guard let value = Int(digits), value <= 64 else {
                throw error(field, vi: "số mũ phải là số nguyên không âm nhỏ", en: "the exponent must be a small non-negative integer")
            }
            power = value
        } else if peek() == "^" || (peek() == "*" && position + 1 < characters.count && StudentNotation.ascii(characters[position + 1]) == "*") {
            position += peek() == "^" ? 1 : 2
            skipSpaces()
            let exponentStart = position
            while let digit = peek(), digit.isASCII, digit.isNumber { position += 1 }
            guard position > exponentStart, let value = Int(String(characters[exponentStart..<position])), value <= 64 else {
                throw error(field, vi: "số mũ phải là số nguyên không âm nhỏ", en: "the exponent must be a small non-negative integer")
            }
            power = value
        }
        guard power <= maxDegree else {
            position = start
            throw SolveError.invalid(
                field, vi: "Bậc \(power) lớn hơn \(maxDegree)" + (maxDegree == 2 ? ": đây không phải phương trình bậc hai." : "."),
                en: "Degree \(power) is above \(maxDegree)" + (maxDegree == 2 ? ": this is not a quadratic equation." : ".")
            )
        }
        return (power, sign * (coefficient ?? .one))
    }

    /// A number, or a quotient of two (`3/4`): the coefficient forms bare and in parentheses share it.
    private mutating func parseFraction(field: String) throws(SolveError) -> Rational {
        let numerator = try parseNumber(field: field)
        skipSpaces()
        guard peek() == "/" else { return numerator }
        position += 1
        skipSpaces()
        let denominator = try parseNumber(field: field)
        guard !denominator.isZero else { throw error(field, vi: "chia cho 0", en: "division by zero") }
        return numerator / denominator
    }

    private mutating func parseNumber(field: String) throws(SolveError) -> Rational {
        let start = position
        while let char = peek(), (char.isASCII && char.isNumber) || char == "." { position += 1 }
        let text = String(characters[start..<position])
        guard text.count <= ExactNumberParser.maxDigits + 1, let value = try? ExactNumberParser.parse(text) else {
            position = start
            throw error(field, vi: "số không hợp lệ", en: "malformed number")
        }
        return value
    }

    /// The next character as ASCII where it is a typographic operator (`−`, `·`, `×`, …).
    private func peek() -> Character? {
        position < characters.count ? StudentNotation.ascii(characters[position]) : nil
    }

    private mutating func skipSpaces() {
        while let char = peek(), char == " " || char == "\t" { position += 1 }
    }

    private func error(_ field: String, vi: String, en: String) -> SolveError {
        SolveError(
            code: "invalid_input",
            vi: "Lỗi cú pháp ở vị trí \(position + 1): \(vi).",
            en: "Syntax error at position \(position + 1): \(en).",
            field: field
        )
    }
}
