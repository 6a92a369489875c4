import ExactMath

extension ExtremaOnIntervalSolver {
    public static let inputSchema = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["function", "lower", "upper"],
  "properties": {
    "function": {"type": "string", "maxLength": \#(CalculusInput.maxExpressionLength), "description": "a polynomial or a quotient of polynomials of degree at most \#(maxDegree), defined on all of [lower, upper]", "examples": ["x^3 - 3x + 1", "(x^2 + 3)/(x - 1)"]},
    "variable": \#(SchemaFragments.variable),
    "lower": \#(SchemaFragments.exactNumber),
    "upper": \#(SchemaFragments.exactNumber),
    "digits": \#(SchemaFragments.digits)
  },
  "additionalProperties": false
}
"""#

    public static let outputSchema = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["max", "min", "candidates", "result", "latex", "steps"],
  "properties": {
    "function": {"type": "string"},
    "variable": {"type": "string"},
    "lower": {"type": "string"},
    "upper": {"type": "string"},
    "derivative": {"type": "string"},
    "derivative_latex": {"type": "string"},
    "max": {"type": "object", "properties": {"value": {"type": "string"}, "latex": {"type": "string"}, "decimal": {"type": "string"}, "at": {"type": "array", "items": {"type": "string"}}}},
    "min": {"type": "object", "properties": {"value": {"type": "string"}, "latex": {"type": "string"}, "decimal": {"type": "string"}, "at": {"type": "array", "items": {"type": "string"}}}},
    "candidates": {"type": "array", "items": {"type": "object", "properties": {"x": {"type": "string"}, "x_latex": {"type": "string"}, "value": {"type": "string"}, "value_latex": {"type": "string"}, "decimal": {"type": "string"}, "kind": {"enum": ["endpoint", "critical"]}}}},
    "result": {"type": "string"},
    "latex": {"type": "string"},
    "exact": {"type": "boolean"},
    "digits": {"type": "integer"},
    "steps": \#(SchemaFragments.steps)
  }
}
"""#
}
