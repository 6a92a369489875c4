/// The input both diagnostic problems share (tests only).
enum DiagnosticSchema {
    static let input = #"""
{
  "type": "object",
  "properties": {
    "seconds": {"type": "number", "minimum": 0, "maximum": 600, "default": 0},
    "cooperative": {"type": "boolean", "default": true}
  },
  "additionalProperties": false
}
"""#

    static let output = #"{"type": "object", "properties": {"slept": {"type": "number"}}}"#
}

extension DiagnosticSleepSolver {
    public static var inputSchema: String { DiagnosticSchema.input }
    public static var outputSchema: String { DiagnosticSchema.output }
}

extension DiagnosticCrashSolver {
    public static var inputSchema: String { DiagnosticSchema.input }
    public static var outputSchema: String { DiagnosticSchema.output }
}
