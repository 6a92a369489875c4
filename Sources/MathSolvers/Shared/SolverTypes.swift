import ExactMath
import Foundation
import Bilingual

/// One step of a worked solution, in both languages.
public struct SolutionStep: Codable, Sendable, Equatable {
    public var text: LocalizedText
    public var latex: String?

    public init(vi: String, en: String, latex: String? = nil) {
        self.text = LocalizedText(vi: vi, en: en)
        self.latex = latex
    }
}

/// Why a problem could not be solved: a machine-readable code and a message in vi and en.
/// Invalid input is reported with `field` set (422 at the API); a solve failure without it.
public struct SolveError: Error, Sendable, Equatable {
    public var code: String
    public var message: LocalizedText
    public var field: String?

    public init(code: String, vi: String, en: String, field: String? = nil) {
        self.code = code
        self.message = LocalizedText(vi: vi, en: en)
        self.field = field
    }

    public static let timeout = SolveError(
        code: "timeout", vi: "Quá thời gian xử lý cho phép.", en: "The solver ran out of time."
    )

    static func invalid(_ field: String, vi: String, en: String) -> SolveError {
        SolveError(code: "invalid_input", vi: vi, en: en, field: field)
    }
}

/// A number field of the input: a JSON string (`"3/4"`, `"-1.25"`, `"12"`, also `"pi/2"` or
/// `"oo"` where a bound is expected) or a JSON number, read exactly (JSON numbers go through
/// `Decimal`, which keeps the digits as written).
struct ExactNumberField: Decodable, Sendable {
    let text: String

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let string = try? container.decode(String.self) {
            text = string
        } else if let integer = try? container.decode(Int64.self) {
            text = String(integer)
        } else {
            let decimal = try container.decode(Decimal.self)
            text = "\(decimal)"
        }
    }

    func value(field: String) throws(SolveError) -> Rational {
        do {
            return try ExactNumberParser.parse(text)
        } catch .tooManyDigits {
            throw .invalid(field, vi: "Số '\(field)' có quá \(ExactNumberParser.maxDigits) chữ số.", en: "The number '\(field)' has more than \(ExactNumberParser.maxDigits) digits.")
        } catch .zeroDenominator {
            throw .invalid(field, vi: "Mẫu số của '\(field)' bằng 0.", en: "The denominator of '\(field)' is zero.")
        } catch {
            throw .invalid(field, vi: "'\(field)' không phải số nguyên, số thập phân hay phân số.", en: "'\(field)' is not an integer, decimal or fraction.")
        }
    }
}
