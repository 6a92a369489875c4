import ExactMath

extension LinearSystemSolver {
    /// The input document `GET /api/v1/problems` publishes for `system_equations` and the API checks
    /// before it charges (`ProblemSchema`); its limits are the solver's own constants.
    public static let inputSchema = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "oneOf": [
    {"required": ["matrix", "rhs"], "not": {"required": ["equations"]}},
    {
      "required": ["equations"],
      "not": {"anyOf": [{"required": ["matrix"]}, {"required": ["rhs"]}]}
    }
  ],
  "properties": {
    "matrix": {
      "type": "array",
      "minItems": 1,
      "maxItems": \#(LinearSystemSolver.maxEquations),
      "items": {
        "type": "array",
        "minItems": 1,
        "maxItems": \#(LinearSystemSolver.maxUnknowns),
        "items": \#(SchemaFragments.exactNumber)
      }
    },
    "rhs": {
      "type": "array",
      "minItems": 1,
      "maxItems": \#(LinearSystemSolver.maxEquations),
      "items": \#(SchemaFragments.exactNumber)
    },
    "equations": {
      "type": "array",
      "minItems": 1,
      "maxItems": \#(LinearSystemSolver.maxEquations),
      "items": {"type": "string", "maxLength": \#(PolynomialEquationParser.maxLength)},
      "examples": [["x + 2y = 5", "3x - y = 1"]]
    },
    "variables": {"type": "array", "items": {"type": "string"}, "maxItems": \#(LinearSystemSolver.maxUnknowns)},
    "digits": \#(SchemaFragments.digits)
  },
  "additionalProperties": false
}
"""#

    /// A list of values, one per unknown (`solution`, and `particular` of a parametric answer).
    private static let valuesSchema = #"""
{
      "type": "array",
      "items": {
        "type": "object",
        "properties": {"variable": {"type": "string"}, "value": {"type": "string"}, "latex": {"type": "string"}, "decimal": {"type": "string"}}
      }
    }
"""#

    /// The result document's shape, published with the problem.
    public static let outputSchema = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["kind", "rank", "variables", "steps"],
  "properties": {
    "kind": {"enum": ["unique", "infinite", "none"]},
    "rank": {"type": "integer"},
    "variables": {"type": "array", "items": {"type": "string"}},
    "equations": {"type": "array", "items": {"type": "string"}},
    "solution": \#(valuesSchema),
    "particular": \#(valuesSchema),
    "null_space": {"type": "array", "items": {"type": "array", "items": {"type": "string"}}},
    "general_solution": {"type": "array", "items": {"type": "string"}},
    "general_solution_latex": {"type": "array", "items": {"type": "string"}},
    "parameters": {"type": "array", "items": {"type": "string"}},
    "determinant": {"type": "string"},
    "reason": {"type": "object"},
    "method": {"enum": ["fraction_free", "dixon"]},
    "steps": \#(SchemaFragments.steps)
  }
}
"""#
}
