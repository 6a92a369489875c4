import Foundation

/// The line protocol a worker process speaks to its supervisor on stdout: which attempts it
/// holds and which are solving, so the supervisor can enforce the hard deadline and clean up
/// after a crash. A worker holds a batch of attempts at a time, so the lines carry batches.
///
///     claimed <job> <attempt> <stream> <entry> [<job> <attempt> <stream> <entry> …]
///     started <job> <deadline-unix-ms>
///     done <job> [<job> …]
public enum WorkerReport: Equatable, Sendable {
    /// One attempt a worker holds, with the queue entry that delivered it.
    public struct Attempt: Equatable, Sendable {
        public var job: UUID
        public var attempt: Int
        public var stream: String
        public var entryID: String

        public init(job: UUID, attempt: Int, stream: String, entryID: String) {
            self.job = job
            self.attempt = attempt
            self.stream = stream
            self.entryID = entryID
        }
    }

    /// Attempts the worker claimed (they are its responsibility until `done`).
    case claimed([Attempt])
    /// A solve began; past `deadline` plus the grace the supervisor kills the worker.
    case started(job: UUID, deadline: Date)
    /// Attempts whose outcome is written, charged and acknowledged.
    case done([UUID])

    public var line: String {
        switch self {
        case .claimed(let attempts):
            return (["claimed"] + attempts.flatMap { [$0.job.uuidString.lowercased(), String($0.attempt), $0.stream, $0.entryID] })
                .joined(separator: " ")
        case .started(let job, let deadline):
            return "started \(job.uuidString.lowercased()) \(Int64(deadline.timeIntervalSince1970 * 1000))"
        case .done(let jobs):
            return (["done"] + jobs.map { $0.uuidString.lowercased() }).joined(separator: " ")
        }
    }

    public init?(line: String) {
        let parts = line.split(separator: " ").map(String.init)
        guard let kind = parts.first else { return nil }
        let fields = parts.dropFirst()
        switch kind {
        case "claimed" where !fields.isEmpty && fields.count % 4 == 0:
            var attempts: [Attempt] = []
            var index = fields.startIndex
            while index < fields.endIndex {
                guard let job = UUID(uuidString: fields[index]), let attempt = Int(fields[index + 1]) else { return nil }
                attempts.append(Attempt(job: job, attempt: attempt, stream: fields[index + 2], entryID: fields[index + 3]))
                index += 4
            }
            self = .claimed(attempts)
        case "started" where fields.count == 2:
            guard let job = UUID(uuidString: fields[fields.startIndex]), let ms = Int64(fields[fields.startIndex + 1]) else { return nil }
            self = .started(job: job, deadline: Date(timeIntervalSince1970: Double(ms) / 1000))
        case "done" where !fields.isEmpty:
            let jobs = fields.compactMap(UUID.init(uuidString:))
            guard jobs.count == fields.count else { return nil }
            self = .done(jobs)
        default:
            return nil
        }
    }

    /// Writes the report to stdout (unbuffered, one write per line; a pipe write of up to
    /// PIPE_BUF bytes is atomic, and a longer one is only ever written by one thread at a time).
    public static func send(_ report: WorkerReport) {
        let data = Data((report.line + "\n").utf8)
        outputLock.lock()
        defer { outputLock.unlock() }
        FileHandle.standardOutput.write(data)
    }

    private static let outputLock = NSLock()
}
