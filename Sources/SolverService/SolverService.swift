import MathFarmCore

/// The solver service owns `math_solver_db`: the problem catalog, solutions (the job record),
/// their view history and daily statistics.
///
/// Its schema is migrated today; the catalog, submission, queue and workers arrive with the
/// solve-pipeline issue (#3). Nothing else may query `math_solver_db`.
public enum SolverService {
    public static let database = ServiceDatabase.solver
}
