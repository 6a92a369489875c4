import ExactMath

/// JSON Schema pieces several problem types share, written once so a bound (the digits a
/// decimal may ask for, the length of an expression) or the shape of a worked step cannot differ
/// between two problem types.
enum SchemaFragments {
    static let digits = #"{"type": "integer", "minimum": 0, "maximum": \#(DecimalApproximation.maxDigits), "default": \#(QuadraticSolver.defaultDigits)}"#

    static let exactNumber = #"{"type": ["string", "number"], "description": "integer, decimal or fraction p/q, at most \#(ExactNumberParser.maxDigits) digits"}"#

    static let expression = #"{"type": "string", "maxLength": \#(CalculusInput.maxExpressionLength), "description": "section-4 ASCII math"}"#

    static let variable = #"{"type": "string", "default": "x", "pattern": "^[a-df-zA-Z](_?[0-9]+)?$"}"#

    /// `steps` of every result: the sentence in both languages, and its LaTeX.
    static let steps = #"""
{
      "type": "array",
      "items": {
        "type": "object",
        "properties": {
          "text": {"type": "object", "properties": {"vi": {"type": "string"}, "en": {"type": "string"}}},
          "latex": {"type": "string"}
        }
      }
    }
"""#
}
