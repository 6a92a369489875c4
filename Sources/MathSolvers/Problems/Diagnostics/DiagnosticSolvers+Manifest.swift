import Foundation

extension DiagnosticSleepSolver {
    public static let manifest = ProblemManifest.diagnostic(name: "Diagnostic: sleep")
}

extension DiagnosticCrashSolver {
    public static let manifest = ProblemManifest.diagnostic(name: "Diagnostic: crash the worker")
}

extension ProblemManifest {
    /// Test-only types: no form, no preview, the smallest price.
    static func diagnostic(name: String) -> ProblemManifest {
        ProblemManifest(
            name: .init(vi: name, en: name), help: .init(vi: "test only", en: "test only"), fields: [],
            defaultPriceDong: 1000, difficulty: .easy, defaultTimeoutSeconds: 3, presentation: .value, preview: { _ in nil }
        )
    }
}
