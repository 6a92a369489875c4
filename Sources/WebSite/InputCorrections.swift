import Foundation

/// "Did you mean …?": rewrites the ways students commonly type math that the strict parser
/// refuses into the syntax it accepts. Only suggested when the original input fails and the
/// rewrite passes the same validation a submission gets (`ProblemPreview.check`), so a
/// suggestion never changes a problem that was already valid.
///
/// Rewrites: Unicode math signs (`x²`, `−`, `×`, `÷`, `√`, `π`, `∞`), the Vietnamese decimal
/// comma (`1,5` → `1.5`), functions written without parentheses (`sin x`, `lnx` → `sin(x)`,
/// `ln(x)`), multiplication the parser wants spelled out (`x sin(x)`, `x(x+1)`, `sin(x)cos(x)`
/// → with `*`), and, for an equation, a missing `= 0`.
enum InputCorrections {
    /// Function names, longest first so `sinh` is not read as `sin` `h`.
    static let functions = ["asin", "acos", "atan", "sinh", "cosh", "tanh", "sqrt", "sin", "cos", "tan", "cot", "sec", "csc", "exp", "abs", "log", "ln"]
    static let constants = ["pi", "oo", "e"]

    static func expression(_ text: String) -> String {
        respace(tokens(commaDecimals(unicode(text))))
    }

    /// An equation (`=` kept); `requireEquals` appends `= 0` to a bare polynomial.
    static func equation(_ text: String, requireEquals: Bool) -> String {
        var corrected = expression(text)
        if requireEquals, !corrected.contains("="), !corrected.trimmingCharacters(in: .whitespaces).isEmpty {
            corrected += " = 0"
        }
        return corrected
    }

    /// A number (coefficient, bound, point): Unicode signs and the decimal comma.
    static func number(_ text: String) -> String {
        commaDecimals(unicode(text)).replacingOccurrences(of: " ", with: "")
    }

    static func unicode(_ text: String) -> String {
        let replacements: [(String, String)] = [
            ("−", "-"), ("–", "-"), ("—", "-"), ("×", "*"), ("·", "*"), ("⋅", "*"), ("∙", "*"), ("÷", "/"), ("：", "/"),
            ("²", "^2"), ("³", "^3"), ("⁴", "^4"), ("⁵", "^5"), ("π", "pi"), ("∞", "oo"), ("√", "sqrt"), ("＝", "="),
            ("（", "("), ("）", ")"), ("＋", "+"),
        ]
        var result = text
        for (from, to) in replacements { result = result.replacingOccurrences(of: from, with: to) }
        return result
    }

    /// `1,5` → `1.5` between digits, unless the text has a two-argument `log(x, b)`.
    static func commaDecimals(_ text: String) -> String {
        guard !text.contains("log(") else { return text }
        let characters = Array(text)
        var result = ""
        for (index, character) in characters.enumerated() {
            if character == ",", index > 0, index + 1 < characters.count, characters[index - 1].isASCIIDigit, characters[index + 1].isASCIIDigit {
                result.append(".")
            } else {
                result.append(character)
            }
        }
        return result
    }

    enum Kind: Equatable {
        case number, variable, constant, function, open, close, other
    }

    struct Token: Equatable {
        var text: String
        var kind: Kind
        /// White space that came before the token in the input.
        var space: String
    }

    /// Splits into numbers, names, brackets and other characters; a run of letters is split
    /// into known functions, constants and one-letter variables (`xsinx` → `x` `sin` `x`).
    static func tokens(_ text: String) -> [Token] {
        var result: [Token] = []
        let characters = Array(text)
        var index = 0
        var space = ""
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace {
                space.append(character)
                index += 1
                continue
            }
            if character.isASCIIDigit || (character == "." && index + 1 < characters.count && characters[index + 1].isASCIIDigit) {
                var end = index
                while end < characters.count, characters[end].isASCIIDigit || characters[end] == "." { end += 1 }
                result.append(Token(text: String(characters[index..<end]), kind: .number, space: space))
                index = end
            } else if character.isASCIILetter {
                var end = index
                while end < characters.count, characters[end].isASCIILetter { end += 1 }
                var names = split(String(characters[index..<end]))
                // A variable's index: x1, x_2.
                var suffixEnd = end
                if suffixEnd < characters.count, characters[suffixEnd] == "_" { suffixEnd += 1 }
                let digitsStart = suffixEnd
                while suffixEnd < characters.count, characters[suffixEnd].isASCIIDigit { suffixEnd += 1 }
                if suffixEnd > digitsStart, var last = names.last, last.kind == .variable {
                    last.text += String(characters[end..<suffixEnd])
                    names[names.count - 1] = last
                    end = suffixEnd
                }
                if var first = names.first {
                    first.space = space
                    names[0] = first
                }
                result += names
                index = end
            } else {
                let kind: Kind = character == "(" ? .open : character == ")" ? .close : .other
                result.append(Token(text: String(character), kind: kind, space: space))
                index += 1
            }
            space = ""
        }
        return result
    }

    static func split(_ letters: String) -> [Token] {
        if functions.contains(letters) { return [Token(text: letters, kind: .function, space: "")] }
        if constants.contains(letters) { return [Token(text: letters, kind: .constant, space: "")] }
        var result: [Token] = []
        var rest = Substring(letters)
        while !rest.isEmpty {
            if let name = functions.first(where: { rest.hasPrefix($0) }) {
                result.append(Token(text: name, kind: .function, space: ""))
                rest = rest.dropFirst(name.count)
            } else if rest.hasPrefix("pi") {
                result.append(Token(text: "pi", kind: .constant, space: ""))
                rest = rest.dropFirst(2)
            } else {
                let letter = String(rest.prefix(1))
                result.append(Token(text: letter, kind: letter == "e" ? .constant : .variable, space: ""))
                rest = rest.dropFirst()
            }
        }
        return result
    }

    /// Puts the parentheses and `*` the parser needs back and joins the tokens.
    static func respace(_ input: [Token]) -> String {
        var tokens: [Token] = []
        var index = 0
        // Functions applied without parentheses take the next atom: `sin x`, `sin 2x`, `ln 3`.
        while index < input.count {
            let token = input[index]
            if token.kind == .function, index + 1 < input.count, [.number, .variable, .constant].contains(input[index + 1].kind) {
                var argument = input[index + 1].text
                var next = index + 2
                if input[index + 1].kind == .number, next < input.count, [.variable, .constant].contains(input[next].kind), input[next].space.isEmpty {
                    argument += input[next].text
                    next += 1
                }
                tokens.append(Token(text: token.text, kind: .function, space: token.space))
                tokens.append(Token(text: "(", kind: .open, space: ""))
                tokens.append(Token(text: argument, kind: .variable, space: ""))
                tokens.append(Token(text: ")", kind: .close, space: ""))
                index = next
            } else {
                tokens.append(token)
                index += 1
            }
        }
        var result = ""
        for (position, token) in tokens.enumerated() {
            // A number right after `^` is an exponent: what follows it is a new factor
            // (`x^2 sin(x)` is x² · sin x, not x^(2 sin x)).
            let exponent = position > 1 && tokens[position - 1].kind == .number && tokens[position - 2].text == "^"
            if position > 0, needsTimes(after: tokens[position - 1], before: token)
                || exponent && [.variable, .constant, .function, .open].contains(token.kind) {
                result += "*"
            } else {
                result += token.space
            }
            result += token.text
        }
        return result
    }

    /// Where the parser does not multiply implicitly: after a name or `)` comes a name, a
    /// function or `(` (after a number, and `)(`, it does).
    static func needsTimes(after left: Token, before right: Token) -> Bool {
        switch (left.kind, right.kind) {
        case (.variable, .variable), (.variable, .constant), (.variable, .function), (.variable, .open),
             (.constant, .variable), (.constant, .constant), (.constant, .function), (.constant, .open),
             (.close, .variable), (.close, .constant), (.close, .function), (.close, .number):
            return true
        default:
            return false
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
    var isASCIILetter: Bool { isASCII && isLetter }
}
