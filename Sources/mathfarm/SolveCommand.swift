import ArgumentParser
import ExactMath
import Foundation
import MathFarmCore
import MathSolvers
import SolverService

/// `mathfarm solve <code> '<input json>'`: the same solver as the workers, locally, no services.
struct SolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solve", abstract: "Solve one problem locally and print the result JSON."
    )

    @Argument(help: "Problem code, e.g. quadratic_equation.") var code: String
    @Argument(help: "Input JSON, e.g. '{\"a\": 1, \"b\": -3, \"c\": 1}'; read from standard input when omitted.") var input: String?
    @Option(name: .long, help: "Soft deadline in seconds.") var timeout: Int = 30

    func run() async throws {
        let json = input.map { Data($0.utf8) } ?? FileHandle.standardInput.readDataToEndOfFile()
        do {
            // The API's checks first (schema, then the solver's own read), so a local run refuses
            // exactly what a submission would.
            let registry = SolverRegistry(diagnosticsEnabled: false)
            try registry.validate(code: code, input: json)
            let result = try registry.solve(code: code, input: json, deadline: Deadline(after: .seconds(timeout)))
            print(String(decoding: result, as: UTF8.self))
        } catch {
            let body = ["error": ["code": error.code, "message": error.message.en, "field": error.field ?? ""]]
            print(String(decoding: try JSONBody.encode(body), as: UTF8.self))
            throw ExitCode(2)
        }
    }
}
