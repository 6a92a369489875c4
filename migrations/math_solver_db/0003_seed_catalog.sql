-- Problems the farm solves today. Prices in VND; premium users get the discount configured in
-- MATHFARM_PREMIUM_DISCOUNT_PERCENT.
INSERT INTO math_problems (problem_type, problem_name, description, input_schema, output_schema, base_price, difficulty_level, processing_timeout_seconds)
VALUES (
    'quadratic_equation',
    'Phương trình bậc hai / Quadratic equation',
    'Giải a·x² + b·x + c = 0 chính xác: nghiệm hữu tỉ, căn thức rút gọn hoặc nghiệm phức, kèm các bước giải. / Solves a·x² + b·x + c = 0 exactly: rational, simplified surd or complex roots, with steps.',
    '{
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "type": "object",
      "oneOf": [
        {"required": ["a", "b", "c"], "not": {"required": ["equation"]}},
        {"required": ["equation"], "not": {"anyOf": [{"required": ["a"]}, {"required": ["b"]}, {"required": ["c"]}]}}
      ],
      "properties": {
        "a": {"type": ["string", "number"], "description": "integer, decimal or fraction p/q, at most 1000 digits"},
        "b": {"type": ["string", "number"]},
        "c": {"type": ["string", "number"]},
        "equation": {"type": "string", "maxLength": 2000, "examples": ["2x^2 - 3x + 1 = 0"]},
        "digits": {"type": "integer", "minimum": 0, "maximum": 1000, "default": 15}
      },
      "additionalProperties": false
    }',
    '{
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
        "steps": {"type": "array", "items": {"type": "object", "properties": {
          "text": {"type": "object", "properties": {"vi": {"type": "string"}, "en": {"type": "string"}}},
          "latex": {"type": "string"}}}}
      }
    }',
    2000.00, 'easy', 10
)
ON CONFLICT (problem_type) DO NOTHING;
