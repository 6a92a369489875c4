import ExactMath
import Foundation
import Symbolic

/// The worked steps of a polynomial equation, one per piece the root finder solved, in the
/// order a textbook takes them: rational roots by the rational root theorem and division,
/// quadratic factors by the discriminant, a cubic by Cardano, the rest by Sturm's theorem.
enum PolynomialEquationSteps {
    static func steps(_ finder: PolynomialRootFinder, polynomial p: Polynomial, variable x: String, factored: Factored) -> [SolutionStep] {
        var steps: [SolutionStep] = []
        if finder.pieces.count > 1 || finder.pieces.contains(where: { $0.multiplicity > 1 }) || finder.pieces.contains(where: { if case .rational = $0.piece { return true } else { return false } }) {
            steps.append(SolutionStep(
                vi: "Phân tích vế trái thành nhân tử (nghiệm hữu tỉ có dạng p/q với p là ước của hệ số tự do, q là ước của hệ số cao nhất; chia đa thức cho (\(x) − nghiệm)).",
                en: "Factor the left-hand side (a rational root is p/q with p dividing the constant term and q the leading coefficient; divide by (\(x) − root)).",
                latex: "\(PolynomialText.string(p, variable: x, latex: true)) = \(factored.latex)"
            ))
        }
        for (piece, multiplicity) in finder.pieces {
            let multiple = multiplicity > 1 ? (vi: " (mỗi nghiệm bội \(multiplicity))", en: " (each of multiplicity \(multiplicity))") : (vi: "", en: "")
            switch piece {
            case .rational(let values):
                let list = values.map { Expr.number($0).latex }.joined(separator: ";\\ ")
                steps.append(SolutionStep(
                    vi: "Nghiệm hữu tỉ\(multiple.vi):", en: "Rational roots\(multiple.en):",
                    latex: "\(x) \\in \\left\\{\(list)\\right\\}"
                ))
            case .quadratic(let q, let discriminant):
                let sign = discriminant.signum > 0 ? (vi: "Δ > 0: hai nghiệm thực phân biệt", en: "Δ > 0: two distinct real roots")
                    : (vi: "Δ < 0: không có nghiệm thực, hai nghiệm phức liên hợp", en: "Δ < 0: no real roots, two complex conjugate roots")
                steps.append(SolutionStep(
                    vi: "Giải phương trình bậc hai \(PolynomialText.string(q, variable: x, latex: false).studentText) = 0: \(sign.vi)\(multiple.vi).",
                    en: "Solve the quadratic \(PolynomialText.string(q, variable: x, latex: false).studentText) = 0: \(sign.en)\(multiple.en).",
                    latex: "\\Delta = \(Expr.number(discriminant).latex),\\quad \(x) = \\frac{-b \\pm \\sqrt{\\Delta}}{2a}"
                ))
            case .cardano(let f, let realRoots):
                let a = f[2]
                let shift = Expr.number(a / Rational(3))
                steps.append(SolutionStep(
                    vi: "Phương trình bậc ba \(PolynomialText.string(f, variable: x, latex: false).studentText) = 0 không có nghiệm hữu tỉ: đặt \(x) = t − a/3 để khử số hạng bậc hai, rồi dùng công thức Cardano" + (realRoots == 3 ? " (biệt thức âm: ba nghiệm thực, viết dạng lượng giác)." : " (một nghiệm thực và hai nghiệm phức)."),
                    en: "The cubic \(PolynomialText.string(f, variable: x, latex: false).studentText) = 0 has no rational root: put \(x) = t − a/3 to remove the square term, then use Cardano's formula" + (realRoots == 3 ? " (negative discriminant: three real roots, in trigonometric form)." : " (one real root and two complex ones)."),
                    latex: a.isZero ? "\(x) = t" : "\(x) = t - \(shift.latex)"
                ))
            case .biquadratic(let f, let discriminant):
                steps.append(SolutionStep(
                    vi: "Phương trình trùng phương \(PolynomialText.string(f, variable: x, latex: false).studentText) = 0: đặt t = \(x)² và giải phương trình bậc hai theo t (Δ = \(Expr.number(discriminant).ascii.studentText)), rồi \(x) = ±√t\(multiple.vi).",
                    en: "The biquadratic \(PolynomialText.string(f, variable: x, latex: false).studentText) = 0: put t = \(x)², solve the quadratic in t (Δ = \(Expr.number(discriminant).ascii.studentText)), then \(x) = ±√t\(multiple.en).",
                    latex: "t = \(x)^{2},\\quad \\Delta = \(Expr.number(discriminant).latex)"
                ))
            case .numeric(let f, let realRoots):
                steps.append(SolutionStep(
                    vi: "Nhân tử \(PolynomialText.string(f, variable: x, latex: false).studentText) không có nghiệm hữu tỉ và không tách được thành các nhân tử bậc hai trên ℚ: theo định lý Sturm nó có \(realRoots) nghiệm thực; mỗi nghiệm được kẹp trong một khoảng hữu tỉ đến khi \(PolynomialRootFinder.certifiedDigits) chữ số thập phân đều chắc chắn đúng.",
                    en: "The factor \(PolynomialText.string(f, variable: x, latex: false).studentText) has no rational root and does not split into quadratics over ℚ: by Sturm's theorem it has \(realRoots) real roots; each is bracketed by rationals until all \(PolynomialRootFinder.certifiedDigits) decimals are certain."
                ))
            }
        }
        return steps
    }

    static func conclusion(_ finder: PolynomialRootFinder, complexDomain: Bool) -> SolutionStep {
        let roots = finder.real.map(\.latex) + (complexDomain ? finder.complex.map(\.latex) : [])
        if roots.isEmpty {
            return SolutionStep(vi: "Phương trình vô nghiệm thực.", en: "The equation has no real solution.", latex: "S = \\varnothing")
        }
        return SolutionStep(
            vi: "Kết luận: tập nghiệm", en: "Conclusion: the solution set",
            latex: "S = \\left\\{" + roots.joined(separator: ";\\ ") + "\\right\\}"
        )
    }

    /// lead · Π (x − r)^m · Π q(x)^m, written directly (ASCII and LaTeX), factors in the order
    /// the root finder met them.
    struct Factored {
        let ascii: String
        let latex: String
    }

    static func factored(_ finder: PolynomialRootFinder, polynomial p: Polynomial, variable x: String) -> Factored {
        var ascii: [String] = []
        var latex: [String] = []
        func add(_ factor: Polynomial, _ multiplicity: Int) {
            let a = PolynomialText.string(factor, variable: x, latex: false), l = PolynomialText.string(factor, variable: x, latex: true)
            ascii.append("(\(a))" + (multiplicity > 1 ? "^\(multiplicity)" : ""))
            latex.append("\\left(\(l)\\right)" + (multiplicity > 1 ? "^{\(multiplicity)}" : ""))
        }
        for (piece, multiplicity) in finder.pieces {
            switch piece {
            case .rational(let values):
                for value in values { add(Polynomial([-value, .one]), multiplicity) }
            case .quadratic(let q, _), .cardano(let q, _), .numeric(let q, _), .biquadratic(let q, _):
                add(q, multiplicity)
            }
        }
        let lead = p.leading
        if lead != .one {
            let isMinusOne = lead == Rational(-1)
            latex.insert(isMinusOne ? "-" : Expr.number(lead).latex, at: 0)
            if isMinusOne {
                return Factored(ascii: "-" + ascii.joined(separator: "*"), latex: latex.joined(separator: " ").replacingOccurrences(of: "- \\left", with: "-\\left"))
            }
            ascii.insert(lead.isInteger ? lead.description : "(\(lead.description))", at: 0)
        }
        return Factored(ascii: ascii.joined(separator: "*"), latex: latex.joined(separator: " ").replacingOccurrences(of: "- \\left", with: "-\\left"))
    }
}

extension String {
    /// ASCII math in a sentence, as a student reads it: x^2 → x², * dropped between a number
    /// and a letter.
    var studentText: String {
        var text = self
        let superscripts: [Character: Character] = ["0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹"]
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "^" {
                var next = text.index(after: index)
                var digits = ""
                while next < text.endIndex, let superscript = superscripts[text[next]] {
                    digits.append(superscript)
                    next = text.index(after: next)
                }
                if !digits.isEmpty {
                    result += digits
                    index = next
                    continue
                }
            }
            if character == "*" {
                result += "·"
            } else if character == "-" {
                result += "−"
            } else {
                result.append(character)
            }
            index = text.index(after: index)
        }
        text = result
        return text
    }
}
