import Foundation

extension PolynomialEquationSolver {
    public static let manifest = ProblemManifest(
        name: .init(vi: "Phương trình đa thức (bậc cao)", en: "Polynomial equation (any degree)"),
        help: .init(
            vi: "Phương trình đa thức bậc tới 20, hệ số hữu tỉ: nghiệm hữu tỉ, căn thức, công thức Cardano cho bậc ba; nghiệm không có dạng đóng cho dưới dạng thập phân chắc chắn đúng (30 chữ số); bội của nghiệm; nghiệm phức liệt kê riêng (domain = complex để lấy tất cả).",
            en: "Polynomial equations up to degree 20 with rational coefficients: rational roots, surds, Cardano for cubics; roots with no closed form as certified decimals (30 digits); multiplicities; complex roots listed apart (domain = complex for all of them)."
        ),
        fields: [
            .equation(
                hint: .init(vi: "Ví dụ x^3 - 6x^2 + 11x - 6 = 0 hoặc (x-1)^2(x+2) = 0; bậc tối đa 20.", en: "For example x^3 - 6x^2 + 11x - 6 = 0 or (x-1)^2(x+2) = 0; degree up to 20."),
                placeholder: "x^3 - 6x^2 + 11x - 6 = 0"
            ),
            .variable,
            ProblemField("domain", .choice([
                .init("real", .init(vi: "Nghiệm thực", en: "Real roots")),
                .init("complex", .init(vi: "Mọi nghiệm phức", en: "All complex roots")),
            ]), label: .init(vi: "Tập số", en: "Number set"), hint: .init(vi: "Mặc định: nghiệm thực.", en: "Real roots unless chosen."), placeholder: ""),
            .digits,
        ],
        defaultPriceDong: 3000, difficulty: .medium, defaultTimeoutSeconds: 15, presentation: .solutionSet,
        preview: { data in
            guard let input = PreviewInput(data), let text = input.string("equation"), let (left, right) = EquationSides(text).split,
                  let l = PreviewInput.parse(left), let r = PreviewInput.parse(right) else { return nil }
            return ProblemRendering(latex: "\(l.latex) = \(r.latex)", text: "\(l.ascii) = \(r.ascii)")
        }
    )
}
