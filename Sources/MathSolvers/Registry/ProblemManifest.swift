import Bilingual
import Foundation

/// Everything about a problem type that is not solving: what it is called, what a customer
/// types into its form, what it costs by default, how its answer is shown. It sits beside the
/// solver (`Solver.manifest`), so a new problem type is one folder and one line in
/// `SolverRegistry.products`: the catalogue rows (`ProblemCatalogSync`), the website's form,
/// preview and solution page, and the OpenAPI document all read it from the registry.
public struct ProblemManifest: Sendable {
    public enum Difficulty: String, Sendable {
        case easy, medium, hard
    }

    /// How the solution page lays out the result document.
    public enum Presentation: Sendable, Equatable {
        /// `roots`, `roots_latex`, `roots_decimal` (the quadratic).
        case roots
        /// `solution` (variable, value, latex, decimal) or `general_solution` (linear systems).
        case linearSystem
        /// One value: `result`, `latex`, optional `decimal` and `exact` (calculus).
        case value
        /// `solution_set` (see `SolutionSet`) and optional `complex_roots`.
        case solutionSet
    }

    /// The catalogue name, `vi` and `en`.
    public let name: LocalizedText
    /// One paragraph for the catalogue and the problem's page: what it answers and its limits.
    public let help: LocalizedText
    /// The form's fields in the order a student fills them in (names are the input schema's).
    public let fields: [ProblemField]
    /// The catalogue price in whole dong when the type is first installed; staff reprice it.
    public let defaultPriceDong: Int
    public let difficulty: Difficulty
    /// The per-problem timeout first installed; staff may change it.
    public let defaultTimeoutSeconds: Int
    public let presentation: Presentation
    /// A one-line summary per value of the result's `kind`.
    public let resultKinds: [String: LocalizedText]
    /// The problem as the solver will read it, for the free preview; nil when it cannot be drawn.
    public let preview: @Sendable (Data) -> ProblemRendering?

    public init(
        name: LocalizedText, help: LocalizedText, fields: [ProblemField], defaultPriceDong: Int,
        difficulty: Difficulty, defaultTimeoutSeconds: Int, presentation: Presentation,
        resultKinds: [String: LocalizedText] = [:], preview: @escaping @Sendable (Data) -> ProblemRendering?
    ) {
        self.name = name
        self.help = help
        self.fields = fields
        self.defaultPriceDong = defaultPriceDong
        self.difficulty = difficulty
        self.defaultTimeoutSeconds = defaultTimeoutSeconds
        self.presentation = presentation
        self.resultKinds = resultKinds
        self.preview = preview
    }
}

/// One input field of a problem's form.
public struct ProblemField: Sendable {
    public enum Control: Sendable, Equatable {
        case text
        /// A number typed by a person: `1,5` is read as 1.5.
        case number
        case integer
        /// One entry per line (a JSON array of strings).
        case lines
        case choice([Choice])
    }

    public struct Choice: Sendable, Equatable {
        public let value: String
        public let label: LocalizedText

        public init(_ value: String, _ label: LocalizedText) {
            self.value = value
            self.label = label
        }
    }

    /// The input schema's property name.
    public let name: String
    public let control: Control
    public let label: LocalizedText
    public let hint: LocalizedText
    public let placeholder: String
    /// An option (shown apart, after the problem itself), such as `digits`.
    public let isOption: Bool
    /// The legend of the "this, or that" group this field opens when the schema's `oneOf`
    /// offers alternatives (the quadratic's equation or its coefficients).
    public let alternativeLegend: LocalizedText?

    public init(
        _ name: String, _ control: Control, label: LocalizedText, hint: LocalizedText, placeholder: String,
        isOption: Bool = false, alternativeLegend: LocalizedText? = nil
    ) {
        self.name = name
        self.control = control
        self.label = label
        self.hint = hint
        self.placeholder = placeholder
        self.isOption = isOption
        self.alternativeLegend = alternativeLegend
    }
}

/// What would be solved, drawn: LaTeX for KaTeX and a plain-text line.
public struct ProblemRendering: Sendable, Equatable {
    public let latex: String
    public let text: String

    public init(latex: String, text: String) {
        self.latex = latex
        self.text = text
    }
}
