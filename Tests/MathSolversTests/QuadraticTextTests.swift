import ExactMath
import Foundation
import MathSolvers
import Testing

/// Every text of a quadratic's answer, for one input of each kind: the texts are written piece by
/// piece into a reused buffer (TextBuilder), and a slip there (a missing space, a wrong sign, a
/// Vietnamese sentence with the English connector) would pass every numeric test. The expected
/// texts are the solver's output before that rewrite (byte for byte, checked on 265 inputs),
/// except the linear case, which now reads "7/2*x - 5 = 0" where it read "7/2x + -5 = 0", and
/// √|Δ| = √7 where it read "1·√7".
@Suite("Quadratic answer texts")
struct QuadraticTextTests {
    struct Expected: Sendable {
        var input: String
        var kind: String
        var equation: [String]
        var discriminant: String?
        var roots: [String]
        var rootsLatex: [String]
        var rootsDecimal: [String]
        var steps: [[String]]
    }

    static let cases: [Expected] = [
        Expected(
            input: "{\"a\":0,\"b\":0,\"c\":0}", kind: "all", equation: ["0 = 0", "0 = 0"], discriminant: nil,
            roots: [], rootsLatex: [], rootsDecimal: [],
            steps: [
                ["Đưa phương trình về dạng ax² + bx + c = 0 với a = 0, b = 0, c = 0.", "Write the equation as ax² + bx + c = 0 with a = 0, b = 0, c = 0.", "0 = 0"],
                ["a = b = c = 0: mọi số đều là nghiệm.", "a = b = c = 0: every number is a solution.", "0 = 0"],
            ]
        ),
        Expected(
            input: "{\"a\":0,\"b\":0,\"c\":\"-2/3\"}", kind: "none", equation: ["-2/3 = 0", "-\\frac{2}{3} = 0"], discriminant: nil,
            roots: [], rootsLatex: [], rootsDecimal: [],
            steps: [
                ["Đưa phương trình về dạng ax² + bx + c = 0 với a = 0, b = 0, c = -2/3.", "Write the equation as ax² + bx + c = 0 with a = 0, b = 0, c = -2/3.", "-\\frac{2}{3} = 0"],
                ["a = b = 0 nhưng c = -2/3 ≠ 0: phương trình vô nghiệm.", "a = b = 0 but c = -2/3 ≠ 0: there is no solution.", "-\\frac{2}{3} = 0"],
            ]
        ),
        Expected(
            input: "{\"a\":0,\"b\":\"7/2\",\"c\":-5}", kind: "linear", equation: ["7/2*x - 5 = 0", "\\frac{7}{2}x - 5 = 0"], discriminant: nil,
            roots: ["10/7"], rootsLatex: ["\\frac{10}{7}"], rootsDecimal: ["1.428571428571429"],
            steps: [
                ["Đưa phương trình về dạng ax² + bx + c = 0 với a = 0, b = 7/2, c = -5.", "Write the equation as ax² + bx + c = 0 with a = 0, b = 7/2, c = -5.", "\\frac{7}{2}x - 5 = 0"],
                ["a = 0 nên đây là phương trình bậc nhất 7/2*x - 5 = 0, nghiệm x = -c/b = 10/7.", "a = 0, so this is the linear equation 7/2*x - 5 = 0 with solution x = -c/b = 10/7.", "x = -\\frac{c}{b} = \\frac{10}{7}"],
            ]
        ),
        Expected(
            input: "{\"a\":1,\"b\":2,\"c\":1}", kind: "double", equation: ["x^2 + 2*x + 1 = 0", "x^{2} + 2x + 1 = 0"], discriminant: "0",
            roots: ["-1"], rootsLatex: ["-1"], rootsDecimal: ["-1.000000000000000"],
            steps: [
                ["Đưa phương trình về dạng ax² + bx + c = 0 với a = 1, b = 2, c = 1.", "Write the equation as ax² + bx + c = 0 with a = 1, b = 2, c = 1.", "x^{2} + 2x + 1 = 0"],
                ["Tính biệt thức Δ = b² − 4ac = (2)² − 4·(1)·(1) = 0.", "Compute the discriminant Δ = b² − 4ac = (2)² − 4·(1)·(1) = 0.", "\\Delta = b^2 - 4ac = 0"],
                ["Δ = 0: phương trình có nghiệm kép x = −b/(2a) = -1.", "Δ = 0: the equation has a double root x = −b/(2a) = -1.", "x_1 = x_2 = -\\frac{b}{2a} = -1"],
            ]
        ),
        Expected(
            input: "{\"a\":\"3/4\",\"b\":-5,\"c\":6}", kind: "two_real", equation: ["3/4*x^2 - 5*x + 6 = 0", "\\frac{3}{4}x^{2} - 5x + 6 = 0"], discriminant: "7",
            roots: ["(10 - 2*sqrt(7))/3", "(10 + 2*sqrt(7))/3"], rootsLatex: ["\\frac{10 - 2\\sqrt{7}}{3}", "\\frac{10 + 2\\sqrt{7}}{3}"], rootsDecimal: ["1.569499125956940", "5.097167540709727"],
            steps: [
                ["Đưa phương trình về dạng ax² + bx + c = 0 với a = 3/4, b = -5, c = 6.", "Write the equation as ax² + bx + c = 0 with a = 3/4, b = -5, c = 6.", "\\frac{3}{4}x^{2} - 5x + 6 = 0"],
                ["Tính biệt thức Δ = b² − 4ac = (-5)² − 4·(3/4)·(6) = 7.", "Compute the discriminant Δ = b² − 4ac = (-5)² − 4·(3/4)·(6) = 7.", "\\Delta = b^2 - 4ac = 7"],
                ["Rút gọn căn: √|Δ| = √7.", "Simplify the root: √|Δ| = √7.", "\\sqrt{|\\Delta|} = \\sqrt{7}"],
                ["Δ > 0: hai nghiệm thực phân biệt x = (−b ± √Δ)/(2a): x₁ = (10 - 2*sqrt(7))/3, x₂ = (10 + 2*sqrt(7))/3.", "Δ > 0: two distinct real roots x = (−b ± √Δ)/(2a): x₁ = (10 - 2*sqrt(7))/3, x₂ = (10 + 2*sqrt(7))/3.", "x_{1,2} = \\frac{-b \\pm \\sqrt{\\Delta}}{2a}"],
            ]
        ),
        Expected(
            input: "{\"a\":1,\"b\":-3,\"c\":-5}", kind: "two_real", equation: ["x^2 - 3*x - 5 = 0", "x^{2} - 3x - 5 = 0"], discriminant: "29",
            roots: ["(3 - sqrt(29))/2", "(3 + sqrt(29))/2"], rootsLatex: ["\\frac{3 - \\sqrt{29}}{2}", "\\frac{3 + \\sqrt{29}}{2}"], rootsDecimal: ["-1.192582403567252", "4.192582403567252"],
            steps: [
                ["Đưa phương trình về dạng ax² + bx + c = 0 với a = 1, b = -3, c = -5.", "Write the equation as ax² + bx + c = 0 with a = 1, b = -3, c = -5.", "x^{2} - 3x - 5 = 0"],
                ["Tính biệt thức Δ = b² − 4ac = (-3)² − 4·(1)·(-5) = 29.", "Compute the discriminant Δ = b² − 4ac = (-3)² − 4·(1)·(-5) = 29.", "\\Delta = b^2 - 4ac = 29"],
                ["Rút gọn căn: √|Δ| = √29.", "Simplify the root: √|Δ| = √29.", "\\sqrt{|\\Delta|} = \\sqrt{29}"],
                ["Δ > 0: hai nghiệm thực phân biệt x = (−b ± √Δ)/(2a): x₁ = (3 - sqrt(29))/2, x₂ = (3 + sqrt(29))/2.", "Δ > 0: two distinct real roots x = (−b ± √Δ)/(2a): x₁ = (3 - sqrt(29))/2, x₂ = (3 + sqrt(29))/2.", "x_{1,2} = \\frac{-b \\pm \\sqrt{\\Delta}}{2a}"],
            ]
        ),
        Expected(
            input: "{\"a\":-2,\"b\":\"1/3\",\"c\":\"5/7\"}", kind: "two_real", equation: ["-2*x^2 + 1/3*x + 5/7 = 0", "-2x^{2} + \\frac{1}{3}x + \\frac{5}{7} = 0"], discriminant: "367/63",
            roots: ["(7 - sqrt(2569))/84", "(7 + sqrt(2569))/84"], rootsLatex: ["\\frac{7 - \\sqrt{2569}}{84}", "\\frac{7 + \\sqrt{2569}}{84}"], rootsDecimal: ["-0.520063137974961", "0.686729804641628"],
            steps: [
                ["Đưa phương trình về dạng ax² + bx + c = 0 với a = -2, b = 1/3, c = 5/7.", "Write the equation as ax² + bx + c = 0 with a = -2, b = 1/3, c = 5/7.", "-2x^{2} + \\frac{1}{3}x + \\frac{5}{7} = 0"],
                ["Tính biệt thức Δ = b² − 4ac = (1/3)² − 4·(-2)·(5/7) = 367/63.", "Compute the discriminant Δ = b² − 4ac = (1/3)² − 4·(-2)·(5/7) = 367/63.", "\\Delta = b^2 - 4ac = \\frac{367}{63}"],
                ["Rút gọn căn: √|Δ| = 1/21·√2569.", "Simplify the root: √|Δ| = 1/21·√2569.", "\\sqrt{|\\Delta|} = \\frac{\\sqrt{2569}}{21}"],
                ["Δ > 0: hai nghiệm thực phân biệt x = (−b ± √Δ)/(2a): x₁ = (7 - sqrt(2569))/84, x₂ = (7 + sqrt(2569))/84.", "Δ > 0: two distinct real roots x = (−b ± √Δ)/(2a): x₁ = (7 - sqrt(2569))/84, x₂ = (7 + sqrt(2569))/84.", "x_{1,2} = \\frac{-b \\pm \\sqrt{\\Delta}}{2a}"],
            ]
        ),
        Expected(
            input: "{\"a\":1,\"b\":1,\"c\":1}", kind: "complex", equation: ["x^2 + x + 1 = 0", "x^{2} + x + 1 = 0"], discriminant: "-3",
            roots: ["-1/2 - sqrt(3)*I/2", "-1/2 + sqrt(3)*I/2"], rootsLatex: ["-\\frac{1}{2} - \\frac{\\sqrt{3}}{2}i", "-\\frac{1}{2} + \\frac{\\sqrt{3}}{2}i"], rootsDecimal: ["-0.500000000000000 - 0.866025403784439*I", "-0.500000000000000 + 0.866025403784439*I"],
            steps: [
                ["Đưa phương trình về dạng ax² + bx + c = 0 với a = 1, b = 1, c = 1.", "Write the equation as ax² + bx + c = 0 with a = 1, b = 1, c = 1.", "x^{2} + x + 1 = 0"],
                ["Tính biệt thức Δ = b² − 4ac = (1)² − 4·(1)·(1) = -3.", "Compute the discriminant Δ = b² − 4ac = (1)² − 4·(1)·(1) = -3.", "\\Delta = b^2 - 4ac = -3"],
                ["Rút gọn căn: √|Δ| = √3.", "Simplify the root: √|Δ| = √3.", "\\sqrt{|\\Delta|} = \\sqrt{3}"],
                ["Δ < 0: không có nghiệm thực; hai nghiệm phức liên hợp x = (−b ± i√|Δ|)/(2a): -1/2 - sqrt(3)*I/2 và -1/2 + sqrt(3)*I/2.", "Δ < 0: no real roots; two complex conjugate roots x = (−b ± i√|Δ|)/(2a): -1/2 - sqrt(3)*I/2 and -1/2 + sqrt(3)*I/2.", "x_{1,2} = \\frac{-b \\pm i\\sqrt{|\\Delta|}}{2a}"],
            ]
        ),
        Expected(
            input: "{\"a\":4,\"b\":0,\"c\":1}", kind: "complex", equation: ["4*x^2 + 1 = 0", "4x^{2} + 1 = 0"], discriminant: "-16",
            roots: ["-I/2", "I/2"], rootsLatex: ["-\\frac{1}{2}i", "\\frac{1}{2}i"], rootsDecimal: ["0.000000000000000 - 0.500000000000000*I", "0.000000000000000 + 0.500000000000000*I"],
            steps: [
                ["Đưa phương trình về dạng ax² + bx + c = 0 với a = 4, b = 0, c = 1.", "Write the equation as ax² + bx + c = 0 with a = 4, b = 0, c = 1.", "4x^{2} + 1 = 0"],
                ["Tính biệt thức Δ = b² − 4ac = (0)² − 4·(4)·(1) = -16.", "Compute the discriminant Δ = b² − 4ac = (0)² − 4·(4)·(1) = -16.", "\\Delta = b^2 - 4ac = -16"],
                ["Rút gọn căn: √|Δ| = 4.", "Simplify the root: √|Δ| = 4.", "\\sqrt{|\\Delta|} = 4"],
                ["Δ < 0: không có nghiệm thực; hai nghiệm phức liên hợp x = (−b ± i√|Δ|)/(2a): -I/2 và I/2.", "Δ < 0: no real roots; two complex conjugate roots x = (−b ± i√|Δ|)/(2a): -I/2 and I/2.", "x_{1,2} = \\frac{-b \\pm i\\sqrt{|\\Delta|}}{2a}"],
            ]
        ),
        Expected(
            input: "{\"a\":\"-5/3\",\"b\":100,\"c\":9,\"digits\":25}", kind: "two_real", equation: ["-5/3*x^2 + 100*x + 9 = 0", "-\\frac{5}{3}x^{2} + 100x + 9 = 0"], discriminant: "10060",
            roots: ["(150 - 3*sqrt(2515))/5", "(150 + 3*sqrt(2515))/5"], rootsLatex: ["\\frac{150 - 3\\sqrt{2515}}{5}", "\\frac{150 + 3\\sqrt{2515}}{5}"], rootsDecimal: ["-0.0898654034876001802892187", "60.0898654034876001802892187"],
            steps: [
                ["Đưa phương trình về dạng ax² + bx + c = 0 với a = -5/3, b = 100, c = 9.", "Write the equation as ax² + bx + c = 0 with a = -5/3, b = 100, c = 9.", "-\\frac{5}{3}x^{2} + 100x + 9 = 0"],
                ["Tính biệt thức Δ = b² − 4ac = (100)² − 4·(-5/3)·(9) = 10060.", "Compute the discriminant Δ = b² − 4ac = (100)² − 4·(-5/3)·(9) = 10060.", "\\Delta = b^2 - 4ac = 10060"],
                ["Rút gọn căn: √|Δ| = 2·√2515.", "Simplify the root: √|Δ| = 2·√2515.", "\\sqrt{|\\Delta|} = 2\\sqrt{2515}"],
                ["Δ > 0: hai nghiệm thực phân biệt x = (−b ± √Δ)/(2a): x₁ = (150 - 3*sqrt(2515))/5, x₂ = (150 + 3*sqrt(2515))/5.", "Δ > 0: two distinct real roots x = (−b ± √Δ)/(2a): x₁ = (150 - 3*sqrt(2515))/5, x₂ = (150 + 3*sqrt(2515))/5.", "x_{1,2} = \\frac{-b \\pm \\sqrt{\\Delta}}{2a}"],
            ]
        ),
        Expected(
            input: "{\"equation\":\"(1/2)t^2 + 3t = -5\"}", kind: "complex", equation: ["1/2*t^2 + 3*t + 5 = 0", "\\frac{1}{2}t^{2} + 3t + 5 = 0"], discriminant: "-1",
            roots: ["-3 - I", "-3 + I"], rootsLatex: ["-3 - i", "-3 + i"], rootsDecimal: ["-3.000000000000000 - 1.000000000000000*I", "-3.000000000000000 + 1.000000000000000*I"],
            steps: [
                ["Đưa phương trình về dạng at² + bt + c = 0 với a = 1/2, b = 3, c = 5.", "Write the equation as at² + bt + c = 0 with a = 1/2, b = 3, c = 5.", "\\frac{1}{2}t^{2} + 3t + 5 = 0"],
                ["Tính biệt thức Δ = b² − 4ac = (3)² − 4·(1/2)·(5) = -1.", "Compute the discriminant Δ = b² − 4ac = (3)² − 4·(1/2)·(5) = -1.", "\\Delta = b^2 - 4ac = -1"],
                ["Rút gọn căn: √|Δ| = 1.", "Simplify the root: √|Δ| = 1.", "\\sqrt{|\\Delta|} = 1"],
                ["Δ < 0: không có nghiệm thực; hai nghiệm phức liên hợp t = (−b ± i√|Δ|)/(2a): -3 - I và -3 + I.", "Δ < 0: no real roots; two complex conjugate roots t = (−b ± i√|Δ|)/(2a): -3 - I and -3 + I.", "t_{1,2} = \\frac{-b \\pm i\\sqrt{|\\Delta|}}{2a}"],
            ]
        ),
        Expected(
            input: "{\"a\":2,\"b\":0,\"c\":-8}", kind: "two_real", equation: ["2*x^2 - 8 = 0", "2x^{2} - 8 = 0"], discriminant: "64",
            roots: ["-2", "2"], rootsLatex: ["-2", "2"], rootsDecimal: ["-2.000000000000000", "2.000000000000000"],
            steps: [
                ["Đưa phương trình về dạng ax² + bx + c = 0 với a = 2, b = 0, c = -8.", "Write the equation as ax² + bx + c = 0 with a = 2, b = 0, c = -8.", "2x^{2} - 8 = 0"],
                ["Tính biệt thức Δ = b² − 4ac = (0)² − 4·(2)·(-8) = 64.", "Compute the discriminant Δ = b² − 4ac = (0)² − 4·(2)·(-8) = 64.", "\\Delta = b^2 - 4ac = 64"],
                ["Rút gọn căn: √|Δ| = 8.", "Simplify the root: √|Δ| = 8.", "\\sqrt{|\\Delta|} = 8"],
                ["Δ > 0 và là bình phương: hai nghiệm hữu tỉ x = (−b ± √Δ)/(2a): x₁ = -2, x₂ = 2.", "Δ > 0 and a perfect square: two rational roots x = (−b ± √Δ)/(2a): x₁ = -2, x₂ = 2.", "x_{1,2} = \\frac{-b \\pm \\sqrt{\\Delta}}{2a}"],
            ]
        ),
    ]

    @Test(arguments: cases)
    func everyTextOfTheAnswer(_ expected: Expected) throws {
        let result = try QuadraticSolver().solve(json: Data(expected.input.utf8), deadline: Deadline(after: .seconds(10)))
        #expect(result.kind == expected.kind)
        #expect([result.equation, result.equationLatex] == expected.equation)
        #expect(result.discriminant == expected.discriminant)
        #expect(result.roots == expected.roots)
        #expect(result.rootsLatex == expected.rootsLatex)
        #expect(result.rootsDecimal == expected.rootsDecimal)
        #expect(result.steps.map { [$0.text.vi, $0.text.en, $0.latex ?? ""] } == expected.steps)
    }
}
