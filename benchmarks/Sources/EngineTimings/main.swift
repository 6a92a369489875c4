import EngineInputs
import ExactMath
import Foundation
import MathSolvers
import Symbolic

// Prints one JSON object per benchmark: {"name", "median_us", "runs"}. Used by compare.py.
// An argument keeps only the benchmarks whose names start with it (for profiling one); a second
// multiplies every run count, so that a profiler sees the benchmark rather than the start-up.
let only = CommandLine.arguments.dropFirst().first
let runScale = CommandLine.arguments.dropFirst(2).first.flatMap { Int($0) } ?? 1

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

func time(_ name: String, runs: Int, _ body: () -> Void) {
    if let only, !name.hasPrefix(only) { return }
    body()  // warm-up
    var samples: [Double] = []
    for _ in 0..<runs * runScale {
        let start = ContinuousClock.now
        body()
        let elapsed = ContinuousClock.now - start
        samples.append(Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12)
    }
    print(#"{"name": "\#(name)", "median_us": \#(median(samples)), "runs": \#(runs * runScale)}"#)
}

let deadline = Deadline(after: .seconds(3600))
let solver = QuadraticSolver()
time("quadratic", runs: 2001) {
    for index in 0..<100 { _ = try? solver.solve(a: 1, b: Rational(index % 17 - 8), c: -5, deadline: deadline) }
}
for (n, digits, runs) in [(10, nil, 201), (50, nil, 41), (100, nil, 15), (200, nil, 7), (50, 30, 9)] as [(Int, Int?, Int)] {
    let system = EngineInputs.system(n: n, digits: digits)
    let name = "system_n\(n)" + (digits.map { "_d\($0)" } ?? "")
    time(name, runs: runs) { _ = try? system.solve(recordSteps: false, determinant: false) }
    time(name + "_det", runs: runs) { _ = try? system.solve(recordSteps: false) }
}
for (index, text) in EngineInputs.derivatives.enumerated() {
    guard let f = try? ExpressionParser.parse(text) else { continue }
    time("derivative_\(index)", runs: 301) { _ = try? Differentiator.derivative(f, "x") }
}
// Each of 300 distinct inputs k·(f) differentiated once, as a service sees them: compare.py times
// SymPy the same way, because repeating one input measures SymPy's result cache, not `diff`.
for (index, text) in EngineInputs.derivatives.enumerated() {
    let name = "derivative_distinct_\(index)"
    if let only, !name.hasPrefix(only) { continue }
    let variants = EngineInputs.distinctVariants(of: text).compactMap { try? ExpressionParser.parse($0) }
    _ = try? Differentiator.derivative(variants[0], "x")  // warm-up
    var samples: [Double] = []
    for _ in 0..<runScale {
        for f in variants {
            let start = ContinuousClock.now
            _ = try? Differentiator.derivative(f, "x")
            let elapsed = ContinuousClock.now - start
            samples.append(Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12)
        }
    }
    print(#"{"name": "\#(name)", "median_us": \#(median(samples)), "runs": \#(samples.count)}"#)
}
for (index, text) in EngineInputs.integrals.enumerated() {
    guard let f = try? ExpressionParser.parse(text) else { continue }
    time("integral_\(index)", runs: 101) { _ = try? Integrator(variable: "x").antiderivative(f) }
}

// Polynomial equations through the registry (parse, solve, steps, JSON), as a worker runs them.
let registry = SolverRegistry(diagnosticsEnabled: false)
for (index, equation) in EngineInputs.polynomialEquations.enumerated() {
    let input = Data(#"{"equation": "\#(equation)"}"#.utf8)
    time("polynomial_\(index)", runs: 101) { _ = try? registry.solve(code: "polynomial_equation", input: input, deadline: deadline) }
}
for (index, inequality) in EngineInputs.inequalities.enumerated() {
    let input = Data(#"{"inequality": "\#(inequality)"}"#.utf8)
    time("inequality_\(index)", runs: 101) { _ = try? registry.solve(code: "inequality", input: input, deadline: deadline) }
}
for (index, (function, lower, upper)) in EngineInputs.extrema.enumerated() {
    let input = Data(#"{"function": "\#(function)", "lower": "\#(lower)", "upper": "\#(upper)"}"#.utf8)
    time("extrema_\(index)", runs: 101) { _ = try? registry.solve(code: "extrema_on_interval", input: input, deadline: deadline) }
}
