import ExactMath

extension DerivativeSolver {
    /// The input document `GET /api/v1/problems` publishes for `derivative` and the API checks
    /// before it charges (`ProblemSchema`); its limits are the solver's own constants.
    public static let inputSchema = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["expression"],
  "properties": {
    "expression": \#(SchemaFragments.expression),
    "variable": \#(SchemaFragments.variable),
    "order": {"type": "integer", "minimum": 1, "maximum": \#(DerivativeSolver.maxOrder), "default": 1},
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
  "required": ["result", "latex", "steps"],
  "properties": {
    "expression": {"type": "string"},
    "expression_latex": {"type": "string"},
    "variable": {"type": "string"},
    "order": {"type": "integer"},
    "result": {"type": "string"},
    "latex": {"type": "string"},
    "decimal": {"type": "string"},
    "steps": \#(SchemaFragments.steps)
  }
}
"""#
}
