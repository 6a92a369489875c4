import Foundation
import MathSolvers
import Testing

/// The README's table of problem types is the registry's (`mathfarm problems`), not a copy
/// someone keeps by hand.
@Suite("problem types document")
struct ProblemTypesDocumentTests {
    @Test func readmeTableIsTheRegistrys() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let begin = try #require(readme.range(of: ProblemTypesDocument.beginMarker))
        let end = try #require(readme.range(of: ProblemTypesDocument.endMarker))
        let table = String(readme[begin.upperBound..<end.lowerBound]).trimmingCharacters(in: .newlines)
        let generated = ProblemTypesDocument.markdown(SolverRegistry(diagnosticsEnabled: false)).trimmingCharacters(in: .newlines)
        #expect(table == generated, "README.md's problem-type table is stale: paste the output of `mathfarm problems`")
        #expect(generated.contains("`polynomial_equation`"))
    }
}
