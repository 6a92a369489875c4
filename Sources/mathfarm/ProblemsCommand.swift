import ArgumentParser
import MathSolvers

/// `mathfarm problems`: the problem types this build answers, as the README's Markdown table
/// (from the solver registry, the one place a type is declared).
struct ProblemsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "problems", abstract: "Print the problem types of this build as a Markdown table.")

    func run() {
        print(ProblemTypesDocument.markdown(SolverRegistry(diagnosticsEnabled: false)), terminator: "")
    }
}
