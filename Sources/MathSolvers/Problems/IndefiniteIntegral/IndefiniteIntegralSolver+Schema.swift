import ExactMath

extension IndefiniteIntegralSolver {
    /// The input document `GET /api/v1/problems` publishes for `indefinite_integral` and the API checks
    /// before it charges (`ProblemSchema`); its limits are the solver's own constants.
    public static let inputSchema = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["expression"],
  "properties": {
    "expression": \#(SchemaFragments.expression),
    "variable": \#(SchemaFragments.variable)
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
    "result": {"type": "string"},
    "latex": {"type": "string"},
    "rules": {"type": "array", "items": {"type": "string"}},
    "steps": \#(SchemaFragments.steps)
  }
}
"""#
}
