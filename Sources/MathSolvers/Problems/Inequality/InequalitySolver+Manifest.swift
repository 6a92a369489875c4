import Foundation

extension InequalitySolver {
    public static let manifest = ProblemManifest(
        name: .init(vi: "Bất phương trình đa thức, phân thức", en: "Polynomial and rational inequality"),
        help: .init(
            vi: "Bất phương trình đa thức hoặc phân thức (bậc tới 20) với bảng xét dấu; điều kiện mẫu khác 0; tập nghiệm là hợp các khoảng, đầu mút chính xác.",
            en: "Polynomial or rational inequalities (degree up to 20) with the sign chart; the denominator's zeros excluded; the answer as a union of intervals with exact ends."
        ),
        fields: [
            ProblemField(
                "inequality", .text, label: .init(vi: "Bất phương trình", en: "Inequality"),
                hint: .init(vi: "Ví dụ (x - 1)/(x + 2) >= 0 hoặc x^3 - 4x < 0; dùng <, <=, >, >= (hoặc ≤, ≥).", en: "For example (x - 1)/(x + 2) >= 0 or x^3 - 4x < 0; use <, <=, >, >= (or ≤, ≥)."),
                placeholder: "(x - 1)/(x + 2) >= 0"
            ),
            .variable,
            .digits,
        ],
        defaultPriceDong: 3000, difficulty: .medium, defaultTimeoutSeconds: 15, presentation: .solutionSet,
        preview: { data in
            guard let input = PreviewInput(data), let text = input.string("inequality"), let relation = InequalityRelation(text),
                  let l = PreviewInput.parse(relation.left), let r = PreviewInput.parse(relation.right) else { return nil }
            return ProblemRendering(latex: "\(l.latex) \(relation.kind.latex) \(r.latex)", text: "\(l.ascii) \(relation.kind.symbol) \(r.ascii)")
        }
    )
}
