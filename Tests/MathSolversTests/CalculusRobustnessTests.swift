import ExactMath
import Foundation
import MathSolvers
import Symbolic
import Testing

/// Seeded random (often silly) expressions through every calculus entry point: whatever the
/// input, the engine answers, declines or times out; it never traps and never hangs.
@Suite("calculus robustness")
struct CalculusRobustnessTests {
    static let atoms = ["x", "0", "1", "-2", "1/3", "0.5", "pi", "e", "(x-x)", "(x-1)", "x^2", "sin(x)", "ln(x)", "sqrt(x)", "abs(x)", "tan(x)", "e^x", "asin(x)", "x^x", "log(x, 2)"]
    static let operators = ["+", "-", "*", "/", "^"]

    func randomExpression(_ random: inout SeededGenerator, depth: Int) -> String {
        if depth == 0 || Int.random(in: 0...3, using: &random) == 0 {
            return Self.atoms.randomElement(using: &random) ?? "x"
        }
        if Int.random(in: 0...4, using: &random) == 0 {
            let function = ["sin", "cos", "ln", "exp", "sqrt", "atan", "sec", "cosh", "abs"].randomElement(using: &random) ?? "sin"
            return "\(function)(\(randomExpression(&random, depth: depth - 1)))"
        }
        let op = Self.operators.randomElement(using: &random) ?? "+"
        let right = op == "^" ? (["2", "3", "-1", "1/2", "x"].randomElement(using: &random) ?? "2") : randomExpression(&random, depth: depth - 1)
        return "(\(randomExpression(&random, depth: depth - 1)))\(op)(\(right))"
    }

    @Test func randomExpressionsNeverTrap() throws {
        var random = SeededGenerator(seed: 31337)
        let registry = SolverRegistry(diagnosticsEnabled: false)
        var answered = 0
        for _ in 0..<250 {
            let text = randomExpression(&random, depth: 4)
            let escaped = text.replacingOccurrences(of: "\\", with: "")
            let inputs: [(String, String)] = [
                ("derivative", #"{"expression": "\#(escaped)"}"#),
                ("indefinite_integral", #"{"expression": "\#(escaped)"}"#),
                ("definite_integral", #"{"expression": "\#(escaped)", "lower": "1/2", "upper": "2"}"#),
                ("limit", #"{"expression": "\#(escaped)", "point": "0"}"#),
                ("limit", #"{"expression": "\#(escaped)", "point": "oo"}"#),
            ]
            for (code, json) in inputs {
                // CPU time of this thread, not wall time: with every suite running in parallel
                // on two cores a solve can wait seconds for a core (a 0.25 s limit took 4.08 s
                // of wall time once), while a solver that ignores its deadline burns CPU.
                let start = threadCPUTime()
                do {
                    _ = try registry.solve(code: code, input: Data(json.utf8), deadline: Deadline(after: .seconds(2)))
                    answered += 1
                } catch {
                    #expect(!error.code.isEmpty)
                }
                #expect(threadCPUTime() - start < .seconds(4), "\(code) \(text) ignored its deadline")
            }
        }
        #expect(answered > 300)
    }

    @Test func antiderivativesOfRandomExpressionsAreRight() throws {
        // Whatever the integrator does answer must differentiate back to the integrand.
        var random = SeededGenerator(seed: 4242)
        var checked = 0
        for _ in 0..<300 {
            let text = randomExpression(&random, depth: 3)
            guard let f = try? ExpressionParser.parse(text),
                  let F = try? Integrator(variable: "x", deadline: Deadline(after: .seconds(2))).antiderivative(f) else { continue }
            let check = NumericCheck.agreeCount(try Differentiator.derivative(F, "x"), f, points: NumericCheck.samplePoints.map { abs($0) + 0.05 }, tolerance: 1e-6)
            #expect(check.mismatch == nil, "∫ \(text) = \(F.ascii)")
            if check.compared > 0 { checked += 1 }
        }
        #expect(checked > 50)
    }
}

/// CPU time consumed by the calling thread (the solvers run synchronously on it).
private func threadCPUTime() -> Duration {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return .seconds(spec.tv_sec) + .nanoseconds(spec.tv_nsec)
}
