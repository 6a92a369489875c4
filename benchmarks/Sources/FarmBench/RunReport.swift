import Foundation

/// One harness run, as written to JSON.
struct RunReport: Codable, Sendable {
    struct Percentiles: Codable, Sendable {
        var p50: Double
        var p90: Double
        var p99: Double
        var max: Double
        var count: Int

        init(_ values: [Double]) {
            let sorted = values.sorted()
            func at(_ q: Double) -> Double {  // nearest rank
                guard !sorted.isEmpty else { return 0 }
                let rank = Int((q * Double(sorted.count)).rounded(.up))
                return sorted[Swift.min(Swift.max(rank, 1), sorted.count) - 1]
            }
            p50 = at(0.50)
            p90 = at(0.90)
            p99 = at(0.99)
            max = sorted.last ?? 0
            count = sorted.count
        }
    }

    struct Money: Codable, Sendable {
        var funded: Int
        var expectedSpent: Int
        var spent: Int
        var held: Int
        var exact: Bool
    }

    struct Point: Codable, Sendable {
        /// Seconds since the first submission (bin start).
        var t: Double
        var completedPerSecond: Double
        var p50Ms: Double
        var p99Ms: Double
    }

    var label: String
    var started: String
    var configuration: [String: String]
    var machine: [String: String]
    var submitted: Int
    var accepted: Int
    var refused: [String: Int]
    var completed: Int
    var failed: Int
    /// Accepted submissions per second, first send to last 202.
    var submitPerSecond: Double
    /// Completed jobs per second, first submission to last completion (PostgreSQL timestamps).
    var completedPerSecond: Double
    var elapsedSeconds: Double
    var submitToAcceptedMs: Percentiles
    var submitToStartMs: Percentiles
    var submitToCompletedMs: Percentiles
    /// CPU milliseconds per completed job, per part of the farm.
    var cpuMsPerJob: [String: Double]
    /// The harness's own CPU per job (not part of the farm's).
    var loadGeneratorCPUMsPerJob: Double
    var commitsPerJob: Double
    var walSyncsPerJob: Double
    var attemptsOverOne: Int
    var money: Money
    var reconcileCheck: String
    var timeline: [Point]
}
