import ExactMath

extension LimitSolver {
    /// The input document `GET /api/v1/problems` publishes for `limit` and the API checks
    /// before it charges (`ProblemSchema`); its limits are the solver's own constants.
    public static let inputSchema = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["expression", "point"],
  "properties": {
    "expression": \#(SchemaFragments.expression),
    "variable": \#(SchemaFragments.variable),
    "point": {"type": ["string", "number"], "examples": ["0", "oo", "-oo", "pi/2"]},
    "direction": {"enum": ["+", "-", "both"], "default": "both"},
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
    "result": {"type": "string"},
    "latex": {"type": "string"},
    "decimal": {"type": "string"},
    "expression": {"type": "string"},
    "variable": {"type": "string"},
    "point": {"type": "string"},
    "direction": {"type": "string"},
    "steps": \#(SchemaFragments.steps)
  }
}
"""#
}
