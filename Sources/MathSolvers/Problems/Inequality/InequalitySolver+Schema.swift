import ExactMath

extension InequalitySolver {
    public static let inputSchema = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["inequality"],
  "properties": {
    "inequality": {"type": "string", "maxLength": \#(CalculusInput.maxExpressionLength), "description": "one of <, <=, >, >= (or ≤, ≥) between polynomial or rational expressions of degree at most \#(maxDegree)", "examples": ["(x - 1)/(x + 2) >= 0", "x^3 - 4x < 0"]},
    "variable": \#(SchemaFragments.variable),
    "digits": \#(SchemaFragments.digits)
  },
  "additionalProperties": false
}
"""#

    public static let outputSchema = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["solution_set", "sign_chart", "exact", "steps"],
  "properties": {
    "variable": {"type": "string"},
    "inequality": {"type": "string"},
    "inequality_latex": {"type": "string"},
    "relation": {"enum": ["<", "<=", ">", ">="]},
    "exact": {"type": "boolean", "description": "false when an end is given only as a certified decimal"},
    "solution_set": \#(SolutionSet.schema),
    "sign_chart": {"type": "object", "description": "bảng xét dấu: signs[i] holds between points[i-1] and points[i]; values[i] is 0 or || (undefined)",
      "properties": {"points": {"type": "array", "items": {"type": "string"}}, "points_latex": {"type": "array", "items": {"type": "string"}},
        "values": {"type": "array", "items": {"enum": ["0", "||"]}}, "signs": {"type": "array", "items": {"enum": ["+", "-", "0"]}}, "latex": {"type": "string"}}},
    "excluded": {"type": "array", "items": {"type": "string"}, "description": "points outside the domain (a denominator vanishes)"},
    "digits": {"type": "integer"},
    "steps": \#(SchemaFragments.steps)
  }
}
"""#
}
