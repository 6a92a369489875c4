import Foundation

/// The line protocol a worker process speaks to its supervisor on stdout: what it is doing, so
/// the supervisor can enforce the hard deadline and clean up after a crash.
///
///     busy <job> <attempt> <stream> <entry> <deadline-unix-ms>
///     idle
public enum WorkerReport: Equatable, Sendable {
    case busy(job: UUID, attempt: Int, stream: String, entryID: String, deadline: Date)
    case idle

    public var line: String {
        switch self {
        case .busy(let job, let attempt, let stream, let entry, let deadline):
            return "busy \(job.uuidString.lowercased()) \(attempt) \(stream) \(entry) \(Int64(deadline.timeIntervalSince1970 * 1000))"
        case .idle:
            return "idle"
        }
    }

    public init?(line: String) {
        let parts = line.split(separator: " ").map(String.init)
        switch parts.first {
        case "idle" where parts.count == 1:
            self = .idle
        case "busy" where parts.count == 6:
            guard let job = UUID(uuidString: parts[1]), let attempt = Int(parts[2]), let ms = Int64(parts[5]) else { return nil }
            self = .busy(job: job, attempt: attempt, stream: parts[3], entryID: parts[4], deadline: Date(timeIntervalSince1970: Double(ms) / 1000))
        default:
            return nil
        }
    }

    /// Writes the report to stdout (unbuffered, one write per line).
    public static func send(_ report: WorkerReport) {
        let data = Data((report.line + "\n").utf8)
        FileHandle.standardOutput.write(data)
    }
}
