import ExactMath

/// Why an expression could not be read, and where (1-based character position).
public struct ExpressionSyntaxError: Error, Sendable, Equatable {
    public var position: Int
    public var vi: String
    public var en: String
}

/// Parses the ASCII math of ARCHITECTURE.md section 4 into a canonical `Expr`.
///
/// `^` (or `**`) is right-associative and binds tighter than unary minus; implicit
/// multiplication is allowed after a number (`2x`, `3(x+1)`) and between parenthesised groups,
/// never between names (`x sin(x)` must be written `x*sin(x)`). A name is a function, `pi`, `e`,
/// or a variable: one letter, optionally followed by digits or `_digits` (`x`, `x1`, `x_2`).
public struct ExpressionParser {
    public struct Limits: Sendable {
        public var maxLength = 2_000
        public var maxDepth = 64
        public var maxNumberDigits = ExactNumberParser.maxDigits
        /// Largest |n| of a literal integer exponent.
        public var maxExponent = 1_000
        public init() {}
    }

    public static let functionNames: Set<String> = Set(ElementaryFunction.allCases.map(\.rawValue)).union(["log", "exp", "sqrt"])

    private enum Token: Equatable {
        case number(String)
        case name(String)
        case symbol(Character)
        case power
        case end
    }

    private let limits: Limits
    private var tokens: [(token: Token, position: Int)] = []
    private var index = 0
    private var depth = 0

    public static func parse(_ text: String, limits: Limits = Limits()) throws(ExpressionSyntaxError) -> Expr {
        var parser = ExpressionParser(limits: limits)
        return try parser.run(text)
    }

    private init(limits: Limits) {
        self.limits = limits
    }

    private mutating func run(_ text: String) throws(ExpressionSyntaxError) -> Expr {
        guard text.count <= limits.maxLength else {
            throw ExpressionSyntaxError(position: limits.maxLength + 1, vi: "Biểu thức dài quá \(limits.maxLength) ký tự.", en: "The expression is longer than \(limits.maxLength) characters.")
        }
        tokens = try Self.tokenize(Array(text), limits: limits)
        guard tokens.count > 1 else {
            throw ExpressionSyntaxError(position: 1, vi: "Biểu thức rỗng.", en: "The expression is empty.")
        }
        let expression = try parseSum()
        guard case .end = current.token else {
            throw unexpected()
        }
        return expression
    }

    private static func tokenize(_ characters: [Character], limits: Limits) throws(ExpressionSyntaxError) -> [(token: Token, position: Int)] {
        var result: [(token: Token, position: Int)] = []
        var i = 0
        while i < characters.count {
            let c = StudentNotation.ascii(characters[i])
            let position = i + 1
            if c == " " || c == "\t" || c == "\n" { i += 1; continue }
            if c == StudentNotation.pi { result.append((.name("pi"), position)); i += 1; continue }
            if c == StudentNotation.superscriptMinus || StudentNotation.superscriptDigit(c) != nil {
                // x² is x^2 and x⁻¹ is x^-1: a power, then the exponent's sign and digits.
                var j = i
                if c == StudentNotation.superscriptMinus { j += 1 }
                var digits = ""
                while j < characters.count, let digit = StudentNotation.superscriptDigit(characters[j]) {
                    digits.append(digit)
                    j += 1
                }
                guard !digits.isEmpty else {
                    throw ExpressionSyntaxError(position: position, vi: "Số mũ '⁻' thiếu chữ số.", en: "The exponent '⁻' has no digits.")
                }
                guard digits.count <= limits.maxNumberDigits else {
                    throw ExpressionSyntaxError(position: position, vi: "Số có quá \(limits.maxNumberDigits) chữ số.", en: "A number has more than \(limits.maxNumberDigits) digits.")
                }
                result.append((.power, position))
                if c == StudentNotation.superscriptMinus { result.append((.symbol("-"), position)) }
                result.append((.number(digits), position + (c == StudentNotation.superscriptMinus ? 1 : 0)))
                i = j
                continue
            }
            if c.isASCII && (c.isNumber || c == ".") {
                var j = i
                var digits = 0
                var seenPoint = false
                while j < characters.count, characters[j].isASCII, characters[j].isNumber || (characters[j] == "." && !seenPoint) {
                    if characters[j] == "." { seenPoint = true } else { digits += 1 }
                    j += 1
                }
                let literal = String(characters[i..<j])
                // "5." and ".5" are numbers; "." alone is not.
                guard digits > 0 else {
                    throw ExpressionSyntaxError(position: position, vi: "Số '\(literal)' không hợp lệ.", en: "'\(literal)' is not a valid number.")
                }
                guard digits <= limits.maxNumberDigits else {
                    throw ExpressionSyntaxError(position: position, vi: "Số có quá \(limits.maxNumberDigits) chữ số.", en: "A number has more than \(limits.maxNumberDigits) digits.")
                }
                result.append((.number(literal), position))
                i = j
                continue
            }
            if c.isASCII && c.isLetter {
                var j = i
                while j < characters.count, characters[j].isASCII, characters[j].isLetter { j += 1 }
                var name = String(characters[i..<j])
                // An indexed variable: one letter, then digits or _digits.
                if name.count == 1, j < characters.count {
                    var k = j
                    if characters[k] == "_" { k += 1 }
                    var m = k
                    while m < characters.count, characters[m].isASCII, characters[m].isNumber { m += 1 }
                    if m > k, characters[j] == "_" || characters[j].isNumber {
                        name = String(characters[i..<m])
                        j = m
                    }
                }
                result.append((.name(name), position))
                i = j
                continue
            }
            if c == "*", i + 1 < characters.count, StudentNotation.ascii(characters[i + 1]) == "*" {
                result.append((.power, position))
                i += 2
                continue
            }
            if c == "^" { result.append((.power, position)); i += 1; continue }
            if "+-*/(),".contains(c) { result.append((.symbol(c), position)); i += 1; continue }
            throw ExpressionSyntaxError(position: position, vi: "Ký tự '\(c)' không được phép.", en: "The character '\(c)' is not allowed.")
        }
        result.append((.end, characters.count + 1))
        return result
    }

    private var current: (token: Token, position: Int) { tokens[index] }

    private mutating func advance() { if index < tokens.count - 1 { index += 1 } }

    private func unexpected() -> ExpressionSyntaxError {
        switch current.token {
        case .end:
            return ExpressionSyntaxError(position: current.position, vi: "Biểu thức kết thúc đột ngột.", en: "The expression ends too early.")
        case .number(let text), .name(let text):
            return ExpressionSyntaxError(position: current.position, vi: "Không mong đợi '\(text)' ở đây (thiếu toán tử?).", en: "Unexpected '\(text)' here (missing operator?).")
        case .symbol(let c):
            return ExpressionSyntaxError(position: current.position, vi: "Không mong đợi '\(c)' ở đây.", en: "Unexpected '\(c)' here.")
        case .power:
            return ExpressionSyntaxError(position: current.position, vi: "Không mong đợi '^' ở đây.", en: "Unexpected '^' here.")
        }
    }

    private mutating func nested<T>(_ body: (inout ExpressionParser) throws(ExpressionSyntaxError) -> T) throws(ExpressionSyntaxError) -> T {
        depth += 1
        defer { depth -= 1 }
        guard depth <= limits.maxDepth else {
            throw ExpressionSyntaxError(position: current.position, vi: "Biểu thức lồng sâu quá \(limits.maxDepth) mức.", en: "The expression is nested deeper than \(limits.maxDepth) levels.")
        }
        return try body(&self)
    }

    private mutating func parseSum() throws(ExpressionSyntaxError) -> Expr {
        var terms = [try parseProduct()]
        while case .symbol(let c) = current.token, c == "+" || c == "-" {
            advance()
            let term = try parseProduct()
            terms.append(c == "-" ? -term : term)
        }
        return .add(terms)
    }

    private mutating func parseProduct() throws(ExpressionSyntaxError) -> Expr {
        var result = try parseUnary()
        var lastWasNumberOrGroup = previousEndsImplicitLeft
        while true {
            if case .symbol(let c) = current.token, c == "*" || c == "/" {
                let position = current.position
                advance()
                let operand = try parseUnary()
                if c == "/" {
                    if operand.isZero {
                        throw ExpressionSyntaxError(position: position, vi: "Chia cho 0.", en: "Division by zero.")
                    }
                    result = result / operand
                } else {
                    result = result * operand
                }
                lastWasNumberOrGroup = previousEndsImplicitLeft
                continue
            }
            // Implicit multiplication: 2x, 3(x+1), (x+1)(x-1), 2sin(x).
            let startsOperand: Bool
            switch current.token {
            case .name: startsOperand = lastWasNumberOrGroup && previousIsNumber
            case .symbol("("): startsOperand = lastWasNumberOrGroup
            case .number:
                throw ExpressionSyntaxError(position: current.position, vi: "Thiếu toán tử trước số này.", en: "A number here needs an operator before it.")
            default: startsOperand = false
            }
            if case .name(let name) = current.token, !startsOperand {
                throw ExpressionSyntaxError(position: current.position, vi: "Thiếu '*' trước '\(name)'.", en: "Write '*' before '\(name)'.")
            }
            guard startsOperand else { break }
            result = result * (try parsePower())
            lastWasNumberOrGroup = previousEndsImplicitLeft
        }
        return result
    }

    /// Whether the token just consumed ends a number or a parenthesised group.
    private var previousEndsImplicitLeft: Bool {
        guard index > 0 else { return false }
        switch tokens[index - 1].token {
        case .number, .symbol(")"): return true
        default: return false
        }
    }

    private var previousIsNumber: Bool {
        guard index > 0, case .number = tokens[index - 1].token else { return false }
        return true
    }

    private mutating func parseUnary() throws(ExpressionSyntaxError) -> Expr {
        if case .symbol(let c) = current.token, c == "-" || c == "+" {
            advance()
            let operand = try nested { (parser: inout ExpressionParser) throws(ExpressionSyntaxError) in try parser.parseUnary() }
            return c == "-" ? -operand : operand
        }
        return try parsePower()
    }

    private mutating func parsePower() throws(ExpressionSyntaxError) -> Expr {
        let base = try parsePrimary()
        guard case .power = current.token else { return base }
        let position = current.position
        advance()
        let exponent = try nested { (parser: inout ExpressionParser) throws(ExpressionSyntaxError) in try parser.parseUnary() }
        if let value = exponent.rationalValue {
            let limit = BigInt(limits.maxExponent)
            if value.numerator.magnitude > limit * value.denominator {
                throw ExpressionSyntaxError(position: position, vi: "Số mũ vượt quá \(limits.maxExponent).", en: "The exponent exceeds \(limits.maxExponent) in size.")
            }
            if base.isZero && value.signum <= 0 {
                throw ExpressionSyntaxError(position: position, vi: "0 mũ không dương không xác định.", en: "0 to a non-positive power is undefined.")
            }
        }
        return .pow(base, exponent)
    }

    private mutating func parsePrimary() throws(ExpressionSyntaxError) -> Expr {
        let (token, position) = current
        switch token {
        case .number(let literal):
            advance()
            do {
                return .number(try ExactNumberParser.parse(literal.first == "." ? "0" + literal : literal))
            } catch {
                throw ExpressionSyntaxError(position: position, vi: "Số '\(literal)' không hợp lệ.", en: "'\(literal)' is not a valid number.")
            }
        case .symbol("("):
            advance()
            let inner = try nested { (parser: inout ExpressionParser) throws(ExpressionSyntaxError) in try parser.parseSum() }
            guard case .symbol(")") = current.token else {
                throw ExpressionSyntaxError(position: current.position, vi: "Thiếu ')' cho '(' ở vị trí \(position).", en: "Missing ')' for the '(' at position \(position).")
            }
            advance()
            return inner
        case .name(let name):
            advance()
            switch name {
            case "pi": return .pi
            case "e": return .e
            case "oo":
                throw ExpressionSyntaxError(position: position, vi: "'oo' chỉ dùng làm cận hoặc điểm giới hạn.", en: "'oo' is only allowed as a bound or a limit point.")
            case "I", "i":
                throw ExpressionSyntaxError(position: position, vi: "Số phức chưa được hỗ trợ trong đầu vào.", en: "Complex numbers are not supported in input.")
            default:
                break
            }
            if Self.functionNames.contains(name) {
                return try parseCall(name, position: position)
            }
            if name.count == 1 || name.dropFirst().allSatisfy({ $0 == "_" || $0.isNumber }) {
                if case .symbol("(") = current.token {
                    throw ExpressionSyntaxError(position: current.position, vi: "Thiếu '*' giữa '\(name)' và '('.", en: "Write '*' between '\(name)' and '('.")
                }
                return .symbol(name)
            }
            throw ExpressionSyntaxError(position: position, vi: "Không biết tên '\(name)' (biến là một chữ cái; viết x*y thay vì xy).", en: "Unknown name '\(name)' (variables are one letter; write x*y, not xy).")
        default:
            throw unexpected()
        }
    }

    private mutating func parseCall(_ name: String, position: Int) throws(ExpressionSyntaxError) -> Expr {
        guard case .symbol("(") = current.token else {
            throw ExpressionSyntaxError(position: current.position, vi: "Cần '(' sau '\(name)'.", en: "Expected '(' after '\(name)'.")
        }
        advance()
        var arguments: [Expr] = []
        while true {
            arguments.append(try nested { (parser: inout ExpressionParser) throws(ExpressionSyntaxError) in try parser.parseSum() })
            if case .symbol(",") = current.token { advance(); continue }
            break
        }
        guard case .symbol(")") = current.token else {
            throw ExpressionSyntaxError(position: current.position, vi: "Thiếu ')' cho '\(name)('.", en: "Missing ')' for '\(name)('.")
        }
        advance()
        let expectedCount = name == "log" ? 1...2 : 1...1
        guard expectedCount.contains(arguments.count) else {
            throw ExpressionSyntaxError(position: position, vi: "'\(name)' nhận \(name == "log" ? "1 hoặc 2" : "1") đối số.", en: "'\(name)' takes \(name == "log" ? "1 or 2 arguments" : "one argument").")
        }
        let argument = arguments[0]
        switch name {
        case "exp": return .exp(argument)
        case "sqrt": return .sqrt(argument)
        case "log":
            if arguments.count == 2 {
                let base = arguments[1]
                if let value = base.rationalValue, value.signum <= 0 || value == .one {
                    throw ExpressionSyntaxError(position: position, vi: "Cơ số logarit phải dương và khác 1.", en: "A logarithm's base must be positive and not 1.")
                }
                return .ln(argument) / .ln(base)
            }
            return .ln(argument)
        default:
            guard let function = ElementaryFunction(rawValue: name) else {
                throw ExpressionSyntaxError(position: position, vi: "Không biết hàm '\(name)'.", en: "Unknown function '\(name)'.")
            }
            return .apply(function, argument)
        }
    }
}
