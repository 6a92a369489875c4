import Foundation

extension DefiniteIntegralSolver {
    public static let manifest = ProblemManifest(
        name: .init(vi: "Tích phân xác định", en: "Definite integral"),
        help: .init(
            vi: "Giá trị chính xác và thập phân; cận có thể là pi, e, oo; phát hiện điểm kỳ dị và tích phân phân kỳ; giá trị số (exact: false) khi không có nguyên hàm sơ cấp.",
            en: "The exact value and its decimal; bounds may be pi, e, oo; singularities and divergence detected; a numeric value (exact: false) when there is no elementary antiderivative."
        ),
        fields: [.expression(placeholder: "x^2*sin(x)"), .variable, .lower, .upper, .digits],
        defaultPriceDong: 5000, difficulty: .hard, defaultTimeoutSeconds: 20, presentation: .value,
        resultKinds: [
            "divergent": .init(vi: "Tích phân phân kỳ.", en: "The integral diverges."),
            "convergent": .init(vi: "Tích phân hội tụ.", en: "The integral converges."),
        ],
        preview: { data in
            guard let input = PreviewInput(data), let f = input.expression("expression"),
                  let lower = input.bound("lower"), let upper = input.bound("upper") else { return nil }
            let variable = input.variable
            return ProblemRendering(
                latex: "\\int_{\(lower.latex)}^{\(upper.latex)} \(f.latex)\\,d\(variable)",
                text: "∫[\(lower.text); \(upper.text)] \(f.ascii) d\(variable)"
            )
        }
    )
}
