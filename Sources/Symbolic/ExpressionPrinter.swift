import ExactMath

/// Renders expressions in the section-4 ASCII syntax (parseable back by `ExpressionParser` and
/// by other CAS) and in LaTeX. Sums are shown highest degree first, constants last; negative
/// powers become denominators.
extension Expr {
    public var ascii: String { ExpressionPrinter.ascii(self) }
    public var latex: String { ExpressionPrinter.latex(self) }
}

enum ExpressionPrinter {
    // MARK: Display structure shared by both renderings

    /// Terms of a sum in display order: descending degree, constants last.
    static func displayTerms(_ terms: [Expr]) -> [Expr] {
        terms.enumerated().sorted { lhs, rhs in
            let (dl, dr) = (displayDegree(lhs.element), displayDegree(rhs.element))
            if dl != dr { return dl > dr }
            let (sl, sr) = (lhs.element.symbols.first ?? "", rhs.element.symbols.first ?? "")
            if sl != sr { return sl < sr }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }

    private static func displayDegree(_ expr: Expr) -> Double {
        switch expr {
        case .number: return -1
        case .constant: return -0.5
        case .symbol: return 1
        case .power(let base, let exponent):
            if let value = exponent.rationalValue, case .symbol = base {
                return Double(value.numerator.intValue ?? 1) / Double(value.denominator.intValue ?? 1)
            }
            return 0.5
        case .product(let factors): return factors.reduce(0) { $0 + Swift.max(0, displayDegree($1)) }
        case .function, .sum: return 0.5
        }
    }

    /// A term split into sign, numerator factors and denominator factors (exponents made positive).
    struct Fraction {
        var negative: Bool
        var numeratorCoefficient: BigInt
        var denominatorCoefficient: BigInt
        var numerator: [Expr]
        var denominator: [Expr]
    }

    static func fraction(_ expr: Expr) -> Fraction {
        let (coefficient, rest) = expr.coefficientAndRest
        var fraction = Fraction(
            negative: coefficient.signum < 0, numeratorCoefficient: coefficient.numerator.magnitude,
            denominatorCoefficient: coefficient.denominator, numerator: [], denominator: []
        )
        if rest.isOne { return fraction }
        for factor in rest.factors {
            let (base, exponent) = factor.baseAndExponent
            let (exponentCoefficient, _) = exponent.coefficientAndRest
            if exponentCoefficient.signum < 0 {
                fraction.denominator.append(.pow(base, -exponent))
            } else {
                fraction.numerator.append(factor)
            }
        }
        return fraction
    }

    // MARK: ASCII

    static func ascii(_ expr: Expr) -> String {
        switch expr {
        case .number(let value): return value.description
        case .constant(let constant): return constant.rawValue
        case .symbol(let name): return name
        case .function(let function, let argument): return "\(function.rawValue)(\(ascii(argument)))"
        case .sum(let terms):
            var text = ""
            for (offset, term) in displayTerms(terms).enumerated() {
                let (coefficient, _) = term.coefficientAndRest
                let negative = coefficient.signum < 0
                let body = ascii(negative ? -term : term)
                if offset == 0 {
                    text = (negative ? "-" : "") + body
                } else {
                    text += (negative ? " - " : " + ") + body
                }
            }
            return text
        case .product, .power:
            return asciiTerm(expr)
        }
    }

    private static func asciiTerm(_ expr: Expr) -> String {
        let parts = fraction(expr)
        var numeratorParts: [String] = []
        if parts.numeratorCoefficient != .one || parts.numerator.isEmpty {
            numeratorParts.append(parts.numeratorCoefficient.description)
        }
        numeratorParts += parts.numerator.map(asciiFactor)
        var text = numeratorParts.joined(separator: "*")
        var denominatorParts: [String] = []
        if parts.denominatorCoefficient != .one { denominatorParts.append(parts.denominatorCoefficient.description) }
        denominatorParts += parts.denominator.map(asciiFactor)
        if !denominatorParts.isEmpty {
            let denominator = denominatorParts.joined(separator: "*")
            text += "/" + (denominatorParts.count > 1 ? "(\(denominator))" : denominator)
        }
        return (parts.negative ? "-" : "") + text
    }

    private static func asciiFactor(_ expr: Expr) -> String {
        switch expr {
        case .sum: return "(\(ascii(expr)))"
        case .number(let value): return value.isInteger && value.signum >= 0 ? value.description : "(\(value))"
        case .power(let base, let exponent):
            if exponent == .half { return "sqrt(\(ascii(base)))" }
            let baseText: String
            switch base {
            case .symbol, .constant, .function: baseText = ascii(base)
            case .number(let value) where value.isInteger && value.signum > 0: baseText = ascii(base)
            default: baseText = "(\(ascii(base)))"
            }
            let exponentText: String
            switch exponent {
            case .symbol, .constant, .function: exponentText = ascii(exponent)
            case .number(let value) where value.isInteger && value.signum > 0: exponentText = ascii(exponent)
            default: exponentText = "(\(ascii(exponent)))"
            }
            return "\(baseText)^\(exponentText)"
        default:
            return ascii(expr)
        }
    }

    // MARK: LaTeX

    static func latex(_ expr: Expr) -> String {
        switch expr {
        case .number(let value): return value.latex
        case .constant(.pi): return "\\pi"
        case .constant(.e): return "e"
        case .symbol(let name): return latexSymbol(name)
        case .function(.abs, let argument): return "\\left|\(latex(argument))\\right|"
        case .function(let function, let argument): return "\(latexName(function))\\left(\(latex(argument))\\right)"
        case .sum(let terms):
            var text = ""
            for (offset, term) in displayTerms(terms).enumerated() {
                let (coefficient, _) = term.coefficientAndRest
                let negative = coefficient.signum < 0
                let body = latex(negative ? -term : term)
                text += offset == 0 ? (negative ? "-" : "") + body : (negative ? " - " : " + ") + body
            }
            return text
        case .product, .power:
            let parts = fraction(expr)
            var numerator = parts.numerator.map(latexFactor).joined(separator: " ")
            if parts.numeratorCoefficient != .one || numerator.isEmpty {
                numerator = parts.numeratorCoefficient.description + (numerator.isEmpty ? "" : " " + numerator)
            }
            var denominatorParts = parts.denominator.map(latexFactor)
            if parts.denominatorCoefficient != .one { denominatorParts.insert(parts.denominatorCoefficient.description, at: 0) }
            let body = denominatorParts.isEmpty ? numerator : "\\frac{\(numerator)}{\(denominatorParts.joined(separator: " "))}"
            return (parts.negative ? "-" : "") + body
        }
    }

    private static func latexSymbol(_ name: String) -> String {
        guard name.count > 1 else { return name }
        let head = name.prefix(1)
        let index = name.dropFirst().filter { $0 != "_" }
        return "\(head)_{\(index)}"
    }

    private static func latexName(_ function: ElementaryFunction) -> String {
        switch function {
        case .asin: return "\\arcsin"
        case .acos: return "\\arccos"
        case .atan: return "\\arctan"
        case .abs: return "\\operatorname{abs}"
        default: return "\\" + function.rawValue
        }
    }

    private static func latexFactor(_ expr: Expr) -> String {
        switch expr {
        case .sum: return "\\left(\(latex(expr))\\right)"
        case .power(let base, let exponent):
            if exponent == .half { return "\\sqrt{\(latex(base))}" }
            let baseText: String
            switch base {
            case .symbol, .constant: baseText = latex(base)
            case .number(let value) where value.isInteger && value.signum > 0: baseText = latex(base)
            case .function(let function, let argument) where function != .abs:
                if let value = exponent.rationalValue, value.isInteger, value.signum > 0 {
                    return "\(latexName(function))^{\(value)}\\left(\(latex(argument))\\right)"
                }
                baseText = "\\left(\(latex(base))\\right)"
            default: baseText = "\\left(\(latex(base))\\right)"
            }
            return "\(baseText)^{\(latex(exponent))}"
        default:
            return latex(expr)
        }
    }
}
