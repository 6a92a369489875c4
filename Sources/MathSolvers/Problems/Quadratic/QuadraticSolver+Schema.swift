import ExactMath

extension QuadraticSolver {
    /// The input document `GET /api/v1/problems` publishes for `quadratic_equation` and the API checks
    /// before it charges (`ProblemSchema`); its limits are the solver's own constants.
    public static let inputSchema = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "oneOf": [
    {"required": ["a", "b", "c"], "not": {"required": ["equation"]}},
    {
      "required": ["equation"],
      "not": {"anyOf": [{"required": ["a"]}, {"required": ["b"]}, {"required": ["c"]}]}
    }
  ],
  "properties": {
    "a": \#(SchemaFragments.exactNumber),
    "b": \#(SchemaFragments.exactNumber),
    "c": \#(SchemaFragments.exactNumber),
    "equation": {"type": "string", "maxLength": \#(PolynomialEquationParser.maxLength), "examples": ["2x^2 - 3x + 1 = 0"]},
    "digits": \#(SchemaFragments.digits)
  },
  "additionalProperties": false
}
"""#

    /// The result document's shape, published with the problem.
    public static let outputSchema = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["kind", "roots", "roots_latex", "roots_decimal", "steps"],
  "properties": {
    "kind": {"enum": ["two_real", "double", "complex", "linear", "none", "all"]},
    "discriminant": {"type": "string"},
    "variable": {"type": "string"},
    "equation": {"type": "string"},
    "equation_latex": {"type": "string"},
    "roots": {"type": "array", "items": {"type": "string"}},
    "roots_latex": {"type": "array", "items": {"type": "string"}},
    "roots_decimal": {"type": "array", "items": {"type": "string"}},
    "digits": {"type": "integer"},
    "steps": \#(SchemaFragments.steps)
  }
}
"""#
}
