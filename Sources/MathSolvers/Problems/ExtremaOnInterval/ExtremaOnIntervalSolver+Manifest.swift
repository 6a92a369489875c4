import Foundation

extension ExtremaOnIntervalSolver {
    public static let manifest = ProblemManifest(
        name: .init(vi: "Giá trị lớn nhất, nhỏ nhất trên đoạn", en: "Maximum and minimum on an interval"),
        help: .init(
            vi: "Giá trị lớn nhất và nhỏ nhất của đa thức hoặc phân thức trên đoạn [a; b] và điểm đạt được, chính xác (căn thức rút gọn), theo cách sách giáo khoa: đạo hàm, nghiệm trong khoảng, so sánh giá trị.",
            en: "The largest and smallest values of a polynomial or rational function on [a, b] and where they are reached, exactly (simplified surds), the textbook way: derivative, its zeros inside, the values compared."
        ),
        fields: [
            ProblemField("function", .text, label: .init(vi: "Hàm số f(x)", en: "Function f(x)"),
                         hint: .init(vi: "Ví dụ x^3 - 3x + 1 hoặc (x^2 + 3)/(x - 1).", en: "For example x^3 - 3x + 1 or (x^2 + 3)/(x - 1)."), placeholder: "x^3 - 3x + 1"),
            .variable,
            ProblemField("lower", .number, label: .init(vi: "a (đầu mút trái)", en: "a (left end)"), hint: .init(vi: "Số nguyên, thập phân hoặc phân số.", en: "Integer, decimal or fraction."), placeholder: "0"),
            ProblemField("upper", .number, label: .init(vi: "b (đầu mút phải)", en: "b (right end)"), hint: .init(vi: "Lớn hơn a.", en: "Greater than a."), placeholder: "2"),
            .digits,
        ],
        defaultPriceDong: 3000, difficulty: .medium, defaultTimeoutSeconds: 15, presentation: .value,
        preview: { data in
            guard let input = PreviewInput(data), let f = input.expression("function"), let a = input.bound("lower"), let b = input.bound("upper") else { return nil }
            let x = input.variable
            return ProblemRendering(
                latex: "\\max_{\\left[\(a.latex);\\ \(b.latex)\\right]},\\ \\min_{\\left[\(a.latex);\\ \(b.latex)\\right]}\\ \(f.latex)",
                text: "max, min of \(f.ascii) for \(x) in [\(a.text); \(b.text)]"
            )
        }
    )
}
