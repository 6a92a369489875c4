import Foundation

extension DerivativeSolver {
    public static let manifest = ProblemManifest(
        name: .init(vi: "Đạo hàm", en: "Derivative"),
        help: .init(
            vi: "Đạo hàm cấp bất kỳ (tối đa 10) của biểu thức sơ cấp, rút gọn, nêu quy tắc từng bước.",
            en: "Derivatives of any order (up to 10) of elementary expressions, simplified, naming each rule."
        ),
        fields: [
            .expression(placeholder: "x^2*sin(x)"),
            .variable,
            ProblemField("order", .integer, label: .init(vi: "Cấp đạo hàm", en: "Order"), hint: .init(vi: "1 đến 10; mặc định 1.", en: "1 to 10; 1 if left empty."), placeholder: "1"),
            .digits,
        ],
        defaultPriceDong: 2000, difficulty: .easy, defaultTimeoutSeconds: 10, presentation: .value,
        preview: { data in
            guard let input = PreviewInput(data), let f = input.expression("expression") else { return nil }
            let variable = input.variable
            let order = Int(input.string("order") ?? "1") ?? 1
            let d = order == 1 ? "\\frac{d}{d\(variable)}" : "\\frac{d^{\(order)}}{d\(variable)^{\(order)}}"
            let prime = String(repeating: "'", count: min(order, 3))
            return ProblemRendering(latex: "\(d)\\left(\(f.latex)\\right)", text: order <= 3 ? "(\(f.ascii))\(prime)" : "d^\(order)/d\(variable)^\(order) (\(f.ascii))")
        }
    )
}
