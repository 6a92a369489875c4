import MathFarmCore
import MathSolvers
import Testing

/// The catalogue (`math_problems`, seeded by migrations) and the solver registry name the
/// same problem types: a row nobody can solve would take money for a job that must fail.
@Suite("Catalogue and solver registry")
struct CatalogRegistryTests {
    @Test func everyCataloguedProblemHasASolverAndEverySolverIsCatalogued() async throws {
        try await TestStack.withRunning { services in
            let diagnostics = Set(SolverRegistry.diagnostics.map(\.code))
            let catalogued = Set(try await services.catalog.problems(includeInactive: true).map(\.code)).subtracting(diagnostics)
            let registered = SolverRegistry.products.map(\.code)
            #expect(catalogued == Set(registered))
            #expect(Set(registered).count == registered.count)
        }
    }
}
