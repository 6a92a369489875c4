import ExactMath
import Foundation

/// A problem type the engine answers. Everything the rest of the farm needs to know about one
/// type (its catalogue code, how large an input may be, how to check an input before any money
/// moves, how to solve it, and in `manifest` how it is named, asked for, priced and shown) is on
/// the conforming type, and `SolverRegistry` lists each once: adding a problem type is one
/// folder under `Problems/` and one registry line, not a switch per caller.
public protocol Solver: Sendable {
    associatedtype Result: Encodable & Sendable

    /// The catalogue's `problem_type` (`math_problems.problem_type`).
    static var code: String { get }
    /// Largest input document in bytes of JSON; the API answers 413 past it before parsing.
    static var maxInputBytes: Int { get }
    /// The input's JSON Schema: published in the catalogue and checked at the edge
    /// (`ProblemSchema`) before `validate`, so an undeclared field is refused, not ignored.
    static var inputSchema: String { get }
    /// The result document's JSON Schema, published in the catalogue.
    static var outputSchema: String { get }
    /// Names, help, form fields, default price and timeout, presentation and preview: what the
    /// catalogue, the website and the API documentation say about this type.
    static var manifest: ProblemManifest { get }

    init()

    /// Reads the input exactly as `solve` will, without solving: the API runs it at the edge,
    /// so an input that cannot be solved is refused before it is charged.
    func validate(json: Data) throws(SolveError)

    /// Solves under a soft deadline (`SolveError.timeout` once it passes).
    func solve(json: Data, deadline: Deadline) throws(SolveError) -> Result
}

extension Solver {
    public static var maxInputBytes: Int { 16 * 1024 }
}
