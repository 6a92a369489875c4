import ExactMath

extension DefiniteIntegralSolver {
    /// The input document `GET /api/v1/problems` publishes for `definite_integral` and the API checks
    /// before it charges (`ProblemSchema`); its limits are the solver's own constants.
    public static let inputSchema = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["expression", "lower", "upper"],
  "properties": {
    "expression": \#(SchemaFragments.expression),
    "variable": \#(SchemaFragments.variable),
    "lower": {"type": ["string", "number"], "examples": ["0", "pi/2", "-oo"]},
    "upper": {"type": ["string", "number"], "examples": ["1", "oo"]},
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
  "required": ["kind", "exact", "result", "steps"],
  "properties": {
    "kind": {"enum": ["convergent", "divergent"]},
    "exact": {"type": "boolean"},
    "result": {"type": "string"},
    "latex": {"type": "string"},
    "decimal": {"type": "string"},
    "digits": {"type": "integer"},
    "antiderivative": {"type": "string"},
    "divergent_at": {"type": "array", "items": {"type": "string"}},
    "expression": {"type": "string"},
    "variable": {"type": "string"},
    "lower": {"type": "string"},
    "upper": {"type": "string"},
    "steps": \#(SchemaFragments.steps)
  }
}
"""#
}
