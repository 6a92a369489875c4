import ExactMath
import Foundation

/// The input of both diagnostic problems.
struct DiagnosticInput: Decodable {
    let seconds: Double?
    let cooperative: Bool?

    static func parse(_ data: Data) throws(SolveError) -> DiagnosticInput {
        do {
            let input = try JSONDecoder().decode(DiagnosticInput.self, from: data)
            guard (input.seconds ?? 0) >= 0, (input.seconds ?? 0) <= 600 else { throw SolveError.invalid("seconds", vi: "0–600 giây.", en: "0 to 600 seconds.") }
            return input
        } catch let error as SolveError {
            throw error
        } catch {
            throw .invalid("input", vi: "Đầu vào không hợp lệ.", en: "Invalid input.")
        }
    }
}

/// `diagnostic_sleep` (tests only): sleeps, cooperatively or ignoring its deadline like a
/// runaway computation, so the tests can drive the timeout and watchdog paths.
public struct DiagnosticSleepSolver: Solver {
    public static let code = "diagnostic_sleep"

    public struct Result: Encodable, Sendable {
        let slept: Double
    }

    public init() {}

    public func validate(json: Data) throws(SolveError) {
        _ = try DiagnosticInput.parse(json)
    }

    public func solve(json: Data, deadline: Deadline) throws(SolveError) -> Result {
        let input = try DiagnosticInput.parse(json)
        let seconds = input.seconds ?? 0
        let end = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < end {
            if input.cooperative ?? true {
                do { try deadline.check() } catch { throw .timeout }
            }
            usleep(10_000)
        }
        return Result(slept: seconds)
    }
}

/// `diagnostic_crash` (tests only): a solver bug that takes the whole worker process down.
public struct DiagnosticCrashSolver: Solver {
    public static let code = "diagnostic_crash"

    public init() {}

    public func validate(json: Data) throws(SolveError) {
        _ = try DiagnosticInput.parse(json)
    }

    public func solve(json: Data, deadline: Deadline) throws(SolveError) -> DiagnosticSleepSolver.Result {
        abort()
    }
}
