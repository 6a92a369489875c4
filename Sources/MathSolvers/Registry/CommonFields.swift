import Bilingual
import Foundation
import Symbolic

/// Form fields several problem types share, written once.
extension ProblemField {
    public static let variable = ProblemField(
        "variable", .text, label: .init(vi: "Biến", en: "Variable"), hint: .init(vi: "Mặc định x.", en: "x if left empty."), placeholder: "x"
    )

    public static let digits = ProblemField(
        "digits", .integer, label: .init(vi: "Số chữ số thập phân", en: "Decimal places"),
        hint: .init(vi: "0 đến 1000; mặc định 15. Giá trị gần đúng tính từ kết quả chính xác.", en: "0 to 1000; 15 if left empty. Decimals are computed from the exact answer."),
        placeholder: "15", isOption: true
    )

    public static func expression(placeholder: String, hint: LocalizedText? = nil, label: LocalizedText? = nil) -> ProblemField {
        ProblemField(
            "expression", .text, label: label ?? .init(vi: "Biểu thức", en: "Expression"),
            hint: hint ?? .init(vi: "Ví dụ x^2*sin(x), e^(2x), sqrt(x+1), ln(x)/x.", en: "For example x^2*sin(x), e^(2x), sqrt(x+1), ln(x)/x."),
            placeholder: placeholder
        )
    }

    public static func equation(hint: LocalizedText, placeholder: String) -> ProblemField {
        ProblemField(
            "equation", .text, label: .init(vi: "Phương trình", en: "Equation"), hint: hint, placeholder: placeholder,
            alternativeLegend: .init(vi: "Nhập phương trình", en: "Type the equation")
        )
    }

    public static let lower = ProblemField(
        "lower", .number, label: .init(vi: "Cận dưới", en: "Lower bound"), hint: .init(vi: "Số, pi/2, e, -oo…", en: "A number, pi/2, e, -oo…"), placeholder: "0"
    )

    public static let upper = ProblemField(
        "upper", .number, label: .init(vi: "Cận trên", en: "Upper bound"), hint: .init(vi: "Số, pi, oo…", en: "A number, pi, oo…"), placeholder: "1"
    )
}

/// A problem's input document as the preview reads it: loosely, because the registry has
/// already checked it (`RegisteredSolver.validate`) before any preview is drawn.
struct PreviewInput {
    private let object: [String: Any]

    init?(_ data: Data) {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return nil }
        self.object = object
    }

    func string(_ key: String) -> String? {
        switch object[key] {
        case let text as String: return text
        case let number as NSNumber: return number.stringValue
        default: return nil
        }
    }

    func strings(_ key: String) -> [String]? {
        object[key] as? [String]
    }

    var variable: String { string("variable") ?? "x" }

    /// An expression field parsed as the solvers parse it.
    func expression(_ key: String) -> Expr? {
        string(key).flatMap { try? ExpressionParser.parse($0) }
    }

    /// A bound or limit point (`0`, `pi/2`, `oo`, `-oo`) drawn.
    func bound(_ key: String) -> ProblemRendering? {
        guard let text = string(key), let point = try? LimitPoint.parse(text) else { return nil }
        switch point {
        case .finite(let value): return ProblemRendering(latex: value.latex, text: value.ascii)
        case .plusInfinity: return ProblemRendering(latex: "+\\infty", text: "+∞")
        case .minusInfinity: return ProblemRendering(latex: "-\\infty", text: "−∞")
        }
    }
}

extension PreviewInput {
    /// An expression typed in a side of an equation, parsed as the solvers parse it.
    static func parse(_ text: String) -> Expr? {
        try? ExpressionParser.parse(text)
    }
}
