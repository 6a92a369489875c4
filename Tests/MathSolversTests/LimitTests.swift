import ExactMath
import Symbolic
import Testing

@Suite("limits")
struct LimitTests {
    func limit(_ text: String, _ point: String, _ direction: LimitDirection = .both) throws -> String {
        let f = try ExpressionParser.parse(text)
        return try LimitEngine().limit(f, variable: "x", point: try LimitPoint.parse(point), direction: direction).ascii
    }

    @Test func examplesFromTheIssue() throws {
        #expect(try limit("sin(3x)/(5x)", "0") == "3/5")
        #expect(try limit("1/(x - 2)", "2") == "does_not_exist")
        #expect(try limit("1/(x - 2)", "2", .plus) == "oo")
        #expect(try limit("1/(x - 2)", "2", .minus) == "-oo")
    }

    @Test(arguments: [
        ("sin(x)/x", "0", "1"), ("(1 + 1/x)^x", "oo", "e"), ("(e^x - 1)/x", "0", "1"), ("(1 - cos(x))/x^2", "0", "1/2"),
        ("(x^2 - 1)/(x - 1)", "1", "2"), ("(3x^2 + 1)/(2x^2 - x)", "oo", "3/2"), ("(x^3 + 1)/(x^2 + 1)", "-oo", "-oo"),
        ("x/(x^2 + 1)", "oo", "0"), ("1/x^2", "0", "oo"), ("x*ln(x)", "0", "0"), ("ln(x)/x", "oo", "0"),
        ("(1 + 2/x)^x", "oo", "e^2"), ("x^x", "0", "1"), ("tan(x)/x", "0", "1"), ("sqrt(x^2 + x) - x", "oo", "1/2"),
        ("atan(x)", "oo", "pi/2"), ("e^(-x)", "oo", "0"), ("sin(x)", "oo", "does_not_exist"), ("(2x + 3)", "pi", "2*pi + 3"),
        ("ln(1 + x)/x", "0", "1"), ("(x - sin(x))/x^3", "0", "1/6"), ("abs(x)/x", "0", "does_not_exist"),
    ])
    func standardForms(_ expression: String, _ point: String, _ expected: String) throws {
        #expect(try limit(expression, point) == expected)
    }

    /// Bounded factors without a limit: the squeeze theorem when the rest tends to 0, no limit
    /// otherwise; bounded factors that do have a limit are ordinary factors.
    @Test(arguments: [
        ("x*sin(1/x)", "0", "0"), ("sin(x)/x", "oo", "0"), ("x^2*cos(1/x)", "0", "0"), ("cos(x)/x^2", "-oo", "0"),
        ("e^(-x)*cos(x)", "oo", "0"), ("atan(x)*sin(1/x)/x", "oo", "0"), ("sin(x)*sin(1/x)", "0", "0"),
        ("x*sin(x)", "oo", "does_not_exist"), ("(x + 1)*sin(1/x)", "0", "does_not_exist"), ("sin(1/x)", "0", "does_not_exist"),
    ])
    func squeezeTheorem(_ expression: String, _ point: String, _ expected: String) throws {
        #expect(try limit(expression, point) == expected)
    }

    @Test func theSqueezeIsNamedInTheTrace() throws {
        let trace = LimitTrace()
        _ = try LimitEngine(trace: trace).limit(try ExpressionParser.parse("x*sin(1/x)"), variable: "x", point: .finite(.zero), direction: .plus)
        #expect(trace.entries.contains { $0.rule == .squeeze })
    }

    @Test func oneSidedLogarithm() throws {
        #expect(try limit("ln(x)", "0", .plus) == "-oo")
        #expect(try limit("1/x", "0", .plus) == "oo")
        #expect(try limit("e^(1/x)", "0", .minus) == "0")
        #expect(try limit("e^(1/x)", "0", .plus) == "oo")
    }
}
