import Foundation
import MathFarmCore
import MathSolvers

public enum SolutionStatus: String, Codable, Sendable {
    case queued, processing, completed, failed, timeout, cancelled

    public var isTerminal: Bool {
        switch self {
        case .queued, .processing: return false
        case .completed, .failed, .timeout, .cancelled: return true
        }
    }
}

/// A job and its outcome as stored in `solutions`.
public struct SolutionRecord: Sendable, Equatable {
    public var id: UUID
    public var userID: UUID
    public var problemCode: String
    public var status: SolutionStatus
    public var input: JSONValue
    public var result: JSONValue?
    public var error: SolveErrorRecord?
    public var cost: Money
    public var processingTimeMs: Int?
    public var attempt: Int
    public var chargeID: UUID?
    public var createdAt: Date
    public var updatedAt: Date
    /// When the current (last) attempt was claimed.
    public var startedAt: Date?
    public var completedAt: Date?
}

/// The stored form of a `SolveError` (in `solutions.error_message`, as JSON).
public struct SolveErrorRecord: Codable, Sendable, Equatable {
    public var code: String
    public var vi: String
    public var en: String

    public init(_ error: SolveError) {
        code = error.code
        vi = error.message.vi
        en = error.message.en
    }

    public init(code: String, vi: String, en: String) {
        self.code = code
        self.vi = vi
        self.en = en
    }

    /// A job given up on after repeated failed deliveries or worker crashes (refunded).
    public static let deadLetter = SolveErrorRecord(
        code: "dead_letter", vi: "Bài toán làm hỏng bộ giải nhiều lần nên đã bị huỷ và hoàn tiền.",
        en: "The job failed its workers repeatedly; it was abandoned and refunded."
    )

    /// A job still waiting when its hold expired (a backlog longer than the hold's lifetime).
    public static let holdExpired = SolveErrorRecord(
        code: "expired", vi: "Bài toán chờ quá lâu trong hàng đợi nên đã bị huỷ và hoàn tiền.",
        en: "The job waited in the queue too long; it was abandoned and refunded."
    )
}

/// The API view of a job (ARCHITECTURE.md section 4).
public struct SolutionView: Encodable, Sendable {
    public var id: UUID
    public var problem: String
    public var status: SolutionStatus
    public var input: JSONValue
    public var result: JSONValue?
    public var error: ErrorView?
    public var cost: Money
    public var processingTimeMs: Int?
    public var createdAt: Date
    public var updatedAt: Date

    public struct ErrorView: Encodable, Sendable {
        public var code: String
        public var message: String
    }

    enum CodingKeys: String, CodingKey {
        case id, problem, status, input, result, error, cost
        case processingTimeMs = "processing_time_ms"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(_ record: SolutionRecord, language: Language) {
        id = record.id
        problem = record.problemCode
        status = record.status
        input = record.input
        result = record.result
        error = record.error.map { ErrorView(code: $0.code, message: language == .vi ? $0.vi : $0.en) }
        cost = record.cost
        processingTimeMs = record.processingTimeMs
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }
}

/// What a worker holds after claiming a job.
public struct ClaimedJob: Sendable, Equatable {
    public var id: UUID
    public var attempt: Int
    public var problemCode: String
    public var input: String
    public var timeoutSeconds: Int
    public var chargeID: UUID?
    /// `JobQueue.Priority` raw value: a job that goes back to the queue keeps its stream.
    public var priority: Int
}

/// Where a job stands, as the lifecycle needs it to decide what a stray queue entry, a crashed
/// attempt or a pending hold calls for.
public struct JobState: Sendable, Equatable {
    public var id: UUID
    public var status: SolutionStatus
    public var attempt: Int
    public var chargeID: UUID?
    public var priority: Int
    /// `processing` and past its lease (only meaningful for `processing`).
    public var leaseExpired: Bool
}

/// How a job ended.
public enum JobOutcome: Sendable, Equatable {
    case completed(result: String, processingTimeMs: Int)
    case failed(SolveErrorRecord, processingTimeMs: Int?)
    case timeout(processingTimeMs: Int?)

    public var status: SolutionStatus {
        switch self {
        case .completed: return .completed
        case .failed: return .failed
        case .timeout: return .timeout
        }
    }
}
