import ExactMath
import Foundation

extension QuadraticSolver {
    public static let manifest = ProblemManifest(
        name: .init(vi: "Phương trình bậc hai", en: "Quadratic equation"),
        help: .init(
            vi: "Giải a·x² + b·x + c = 0 chính xác: nghiệm hữu tỉ, căn thức rút gọn hoặc nghiệm phức, kèm các bước giải.",
            en: "Solves a·x² + b·x + c = 0 exactly: rational, simplified surd or complex roots, with steps."
        ),
        fields: [
            .equation(
                hint: .init(vi: "Ví dụ 2x^2 - 3x + 1 = 0; hai vế đều được.", en: "For example 2x^2 - 3x + 1 = 0; terms on both sides are fine."),
                placeholder: "2x^2 - 3x + 1 = 0"
            ),
            ProblemField("a", .number, label: .init(vi: "a", en: "a"), hint: .init(vi: "Số nguyên, thập phân hoặc phân số.", en: "Integer, decimal or fraction."),
                         placeholder: "1", alternativeLegend: .init(vi: "Hoặc nhập các hệ số", en: "Or type the coefficients")),
            ProblemField("b", .number, label: .init(vi: "b", en: "b"), hint: .init(vi: "Ví dụ -3 hoặc 1/2.", en: "For example -3 or 1/2."), placeholder: "-3"),
            ProblemField("c", .number, label: .init(vi: "c", en: "c"), hint: .init(vi: "Ví dụ 1,5.", en: "For example 1.5."), placeholder: "1"),
            .digits,
        ],
        defaultPriceDong: 2000, difficulty: .easy, defaultTimeoutSeconds: 10, presentation: .roots,
        resultKinds: [
            "two_real": .init(vi: "Phương trình có hai nghiệm thực phân biệt.", en: "Two distinct real roots."),
            "double": .init(vi: "Phương trình có nghiệm kép.", en: "One double root."),
            "complex": .init(vi: "Phương trình không có nghiệm thực; hai nghiệm phức liên hợp.", en: "No real roots; two complex conjugate roots."),
            "linear": .init(vi: "a = 0: phương trình bậc nhất, một nghiệm.", en: "a = 0: a linear equation with one root."),
            "none": .init(vi: "Phương trình vô nghiệm.", en: "The equation has no solution."),
            "all": .init(vi: "Mọi số đều là nghiệm.", en: "Every number is a solution."),
        ],
        preview: { data in
            guard let parsed = try? QuadraticSolver().parse(json: data) else { return nil }
            return preview(parsed)
        }
    )

    /// `a·x² + b·x + c = 0` as the solver will read it, highest power first, zero terms left out.
    static func preview(_ parsed: Parsed) -> ProblemRendering {
        let x = parsed.variable
        var latex = ""
        var text = ""
        for (coefficient, power) in [(parsed.a, 2), (parsed.b, 1), (parsed.c, 0)] where !coefficient.isZero {
            let negative = coefficient.signum < 0
            let magnitude = negative ? -coefficient : coefficient
            let isOne = magnitude == .one && power > 0
            let sign = latex.isEmpty ? (negative ? "-" : "") : (negative ? " - " : " + ")
            let monomialLatex = power == 0 ? "" : (power == 1 ? x : "\(x)^{2}")
            let monomialText = power == 0 ? "" : (power == 1 ? x : "\(x)^2")
            latex += sign + (isOne ? "" : magnitude.latex) + monomialLatex
            text += sign + (isOne ? "" : magnitude.description + (power > 0 && !magnitude.isInteger ? "*" : "")) + monomialText
        }
        if latex.isEmpty { (latex, text) = ("0", "0") }
        return ProblemRendering(latex: latex + " = 0", text: text + " = 0")
    }
}
