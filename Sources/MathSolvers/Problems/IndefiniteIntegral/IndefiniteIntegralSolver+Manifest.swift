import Foundation

extension IndefiniteIntegralSolver {
    public static let manifest = ProblemManifest(
        name: .init(vi: "Nguyên hàm", en: "Indefinite integral"),
        help: .init(
            vi: "Nguyên hàm chính xác (không kèm + C) với quy tắc từng bước; báo no_elementary_antiderivative hoặc unsupported khi không có.",
            en: "An exact antiderivative (no + C) with the rules used; no_elementary_antiderivative or unsupported when there is none."
        ),
        fields: [.expression(placeholder: "x^2*sin(x)"), .variable],
        defaultPriceDong: 5000, difficulty: .hard, defaultTimeoutSeconds: 20, presentation: .value,
        preview: { data in
            guard let input = PreviewInput(data), let f = input.expression("expression") else { return nil }
            return ProblemRendering(latex: "\\int \(f.latex)\\,d\(input.variable)", text: "∫ \(f.ascii) d\(input.variable)")
        }
    )
}
