import Benchmark
import EngineInputs
import ExactMath
import Foundation
import MathSolvers
import Symbolic

/// `swift package benchmark` (from benchmarks/) runs these; compare.py prints the same inputs
/// against SymPy and python-flint.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput], maxDuration: .seconds(2), maxIterations: 100_000)

    Benchmark("quadratic solve + formatting") { benchmark in
        let solver = QuadraticSolver()
        let deadline = Deadline(after: .seconds(60))
        for index in benchmark.scaledIterations {
            let result = try? solver.solve(a: 1, b: Rational(index % 17 - 8), c: -5, deadline: deadline)
            blackHole(result)
        }
    }

    for (n, digits) in [(10, nil), (50, nil), (100, nil), (200, nil), (50, 30)] as [(Int, Int?)] {
        let system = EngineInputs.system(n: n, digits: digits)
        let label = "linear system n=\(n)" + (digits.map { " \($0)-digit" } ?? "")
        Benchmark(label, configuration: .init(maxDuration: .seconds(5), maxIterations: 200)) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try? system.solve(recordSteps: false, determinant: false))
            }
        }
    }

    let derivatives = EngineInputs.derivatives.compactMap { try? ExpressionParser.parse($0) }
    Benchmark("derivative (representative set, per expression)") { benchmark in
        for index in benchmark.scaledIterations {
            blackHole(try? Differentiator.derivative(derivatives[index % derivatives.count], "x"))
        }
    }

    let integrands = EngineInputs.integrals.compactMap { try? ExpressionParser.parse($0) }
    Benchmark("indefinite integral (representative set, per expression)") { benchmark in
        for index in benchmark.scaledIterations {
            blackHole(try? Integrator(variable: "x").antiderivative(integrands[index % integrands.count]))
        }
    }
}
