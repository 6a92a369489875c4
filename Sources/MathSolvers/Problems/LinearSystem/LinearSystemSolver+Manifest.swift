import Foundation

extension LinearSystemSolver {
    public static let manifest = ProblemManifest(
        name: .init(vi: "Hệ phương trình tuyến tính", en: "System of linear equations"),
        help: .init(
            vi: "Giải hệ m×n chính xác (tối đa 200 ẩn): nghiệm duy nhất, vô số nghiệm (nghiệm tổng quát) hoặc vô nghiệm, kèm định thức và các bước khử.",
            en: "Solves an m×n system exactly (up to 200 unknowns): unique, infinitely many (general solution) or none, with the determinant and the elimination steps."
        ),
        fields: [
            ProblemField("equations", .lines, label: .init(vi: "Các phương trình (mỗi dòng một phương trình)", en: "Equations (one per line)"),
                         hint: .init(vi: "Ví dụ x + 2y = 5 và 3x - y = 1 trên hai dòng.", en: "For example x + 2y = 5 and 3x - y = 1 on two lines."),
                         placeholder: "x + 2y = 5\n3x - y = 1"),
            .digits,
        ],
        defaultPriceDong: 3000, difficulty: .medium, defaultTimeoutSeconds: 30, presentation: .linearSystem,
        resultKinds: [
            "unique": .init(vi: "Hệ có nghiệm duy nhất.", en: "The system has exactly one solution."),
            "infinite": .init(vi: "Hệ có vô số nghiệm.", en: "The system has infinitely many solutions."),
            "none": .init(vi: "Hệ vô nghiệm.", en: "The system has no solution."),
        ],
        preview: { data in
            guard let input = PreviewInput(data), let lines = input.strings("equations") else { return nil }
            var latex: [String] = []
            var text: [String] = []
            for line in lines.prefix(12) {
                let sides = line.split(separator: "=", maxSplits: 1).map(String.init)
                guard sides.count == 2, let left = PreviewInput.parse(sides[0]), let right = PreviewInput.parse(sides[1]) else { return nil }
                latex.append("\(left.latex) = \(right.latex)")
                text.append("\(left.ascii) = \(right.ascii)")
            }
            if lines.count > 12 { latex.append("\\vdots"); text.append("…") }
            return ProblemRendering(latex: "\\begin{cases} " + latex.joined(separator: " \\\\ ") + " \\end{cases}", text: text.joined(separator: "; "))
        }
    )
}
