import ExactMath
import Foundation
import Symbolic
import Testing

@Suite("expression parser, simplifier and printer")
struct ExpressionTests {
    func parse(_ text: String) throws -> Expr { try ExpressionParser.parse(text) }

    @Test func canonicalFormCollectsAndFolds() throws {
        #expect(try parse("x + x + 2*x").ascii == "4*x")
        #expect(try parse("x*x^2*x^(1/2)").ascii == "x^(7/2)")
        #expect(try parse("2(x+1) - 2x - 2").ascii == "0")
        #expect(try parse("3/6 + 0.25").ascii == "3/4")
        #expect(try parse("sqrt(8)").ascii == "2*sqrt(2)")
        #expect(try parse("x^2 - 3x + 1").ascii == "x^2 - 3*x + 1")
        #expect(try parse("(x+1)/(x-1)").ascii == "(x + 1)/(x - 1)")
        #expect(try parse("-x^2").ascii == "-x^2")
        #expect(try parse("2^-1").ascii == "1/2")
        #expect(try parse("exp(ln(x))").ascii == "x")
        #expect(try parse("sin(pi/6) + cos(pi) + tan(pi/4)").ascii == "1/2")
        #expect(try parse("log(8, 2)").ascii == "ln(8)/ln(2)")
        #expect(try parse("x^3/6").ascii == "x^3/6")
        #expect(try parse("2**3**2").ascii == "512")
    }

    @Test func printedFormParsesBack() throws {
        let samples = ["x^2*e^(2*x)/4 - sin(x)^3/3", "(x^2 + 1)^(-1/2)", "atan(x/2)/2 - ln(abs(x - 1))", "-x*cos(x) + sin(x)", "1/(2*x*sqrt(x))"]
        for sample in samples {
            let expr = try parse(sample)
            #expect(try parse(expr.ascii) == expr, "\(sample) → \(expr.ascii)")
        }
    }

    @Test func syntaxErrorsPointAtThePosition() {
        func position(_ text: String) -> Int? {
            do { _ = try ExpressionParser.parse(text); return nil } catch { return error.position }
        }
        #expect(position("x + * 2") == 5)
        #expect(position("sin(x") == 6)
        #expect(position("x sin(x)") == 3)
        #expect(position("2 + foo(x)") == 5)
        #expect(position("x $ 2") == 3)
        #expect(position("1/0") == 2)
        #expect(position("x^100000") == 2)
        #expect(position(String(repeating: "(", count: 100) + "x" + String(repeating: ")", count: 100)) != nil)
        #expect(position("") == 1)
    }

    @Test func latexRendering() throws {
        #expect(try parse("x^2/2 + sqrt(x)").latex == "\\frac{x^{2}}{2} + \\sqrt{x}")
        #expect(try parse("sin(x)^2").latex == "\\sin^{2}\\left(x\\right)")
        #expect(try parse("-3/(x+1)").latex == "-\\frac{3}{\\left(x + 1\\right)}")
    }
}
