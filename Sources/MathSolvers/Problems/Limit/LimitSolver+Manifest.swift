import Foundation

extension LimitSolver {
    public static let manifest = ProblemManifest(
        name: .init(vi: "Giới hạn", en: "Limit"),
        help: .init(
            vi: "Giới hạn một phía hoặc hai phía tại một điểm hay tại vô cực, chính xác; oo, -oo hoặc does_not_exist.",
            en: "One- or two-sided limits at a point or at infinity, exactly; oo, -oo or does_not_exist."
        ),
        fields: [
            .expression(placeholder: "sin(x)/x"),
            .variable,
            ProblemField("point", .number, label: .init(vi: "Điểm giới hạn", en: "Limit point"), hint: .init(vi: "Số, pi, oo hoặc -oo.", en: "A number, pi, oo or -oo."), placeholder: "0"),
            ProblemField("direction", .choice([
                .init("both", .init(vi: "Hai phía", en: "Both sides")),
                .init("+", .init(vi: "Bên phải (x → a⁺)", en: "From the right (x → a⁺)")),
                .init("-", .init(vi: "Bên trái (x → a⁻)", en: "From the left (x → a⁻)")),
            ]), label: .init(vi: "Hướng", en: "Direction"), hint: .init(vi: "Giới hạn một phía hay hai phía.", en: "One-sided or two-sided."), placeholder: ""),
            .digits,
        ],
        defaultPriceDong: 3000, difficulty: .medium, defaultTimeoutSeconds: 15, presentation: .value,
        preview: { data in
            guard let input = PreviewInput(data), let f = input.expression("expression"), let point = input.bound("point") else { return nil }
            let direction = input.string("direction") ?? "both"
            let side = ["+": "^{+}", "-": "^{-}"][direction] ?? ""
            let textSide = ["+": "+", "-": "-"][direction] ?? ""
            return ProblemRendering(
                latex: "\\lim_{\(input.variable) \\to \(point.latex)\(side)} \(f.latex)",
                text: "lim(\(input.variable) → \(point.text)\(textSide)) \(f.ascii)"
            )
        }
    )
}
