import ExactMath

extension PolynomialEquationSolver {
    public static let inputSchema = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["equation"],
  "properties": {
    "equation": {"type": "string", "maxLength": \#(CalculusInput.maxExpressionLength), "description": "P(x) = Q(x), polynomials of degree at most \#(maxDegree) with rational or exact decimal coefficients", "examples": ["x^3 - 6x^2 + 11x - 6 = 0", "x^4 = 5x^2 - 4"]},
    "variable": \#(SchemaFragments.variable),
    "domain": {"enum": ["real", "complex"], "default": "real"},
    "digits": \#(SchemaFragments.digits)
  },
  "additionalProperties": false
}
"""#

    public static let outputSchema = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["solution_set", "exact", "roots", "steps"],
  "properties": {
    "variable": {"type": "string"},
    "equation": {"type": "string"},
    "equation_latex": {"type": "string"},
    "degree": {"type": "integer"},
    "domain": {"enum": ["real", "complex"]},
    "exact": {"type": "boolean", "description": "false when some root is given only as a certified decimal (every printed digit true)"},
    "solution_set": \#(SolutionSet.schema),
    "roots": {"type": "array", "items": {"type": "object", "properties": {"value": {"type": "string"}, "latex": {"type": "string"}, "decimal": {"type": "string"}, "multiplicity": {"type": "integer"}, "exact": {"type": "boolean"}}}},
    "complex_roots": {"type": "array", "items": {"type": "string"}},
    "complex_roots_latex": {"type": "array", "items": {"type": "string"}},
    "unlisted_complex_roots": {"type": "integer", "description": "non-real roots of factors with no closed form, not listed"},
    "factored": {"type": "string"},
    "digits": {"type": "integer"},
    "steps": \#(SchemaFragments.steps)
  }
}
"""#
}
