import PaymentService

/// The job state machine of ARCHITECTURE.md §3, as data: every state change of a job is one
/// of these transitions, applied by `JobLifecycle` as a guarded `UPDATE … WHERE status = ANY(from)`
/// (plus `AND attempt = n` when the transition is fenced), so a repeat, a zombie worker or a
/// transition from the wrong state changes nothing.
///
///     queued ──claim──▶ processing ──complete──▶ completed   (hold settled)
///       │  ▲                │  ├─────fail────▶ failed      (hold refunded)
///       │  └───requeue──────┤  ├───timeOut───▶ timeout     (hold refunded)
///       │                   └──┴───giveUp────▶ failed      (dead letter, hold refunded)
///       ├──────cancel──────────────────────▶ cancelled   (hold refunded)
///       └──────giveUp──────────────────────▶ failed      (dead letter, hold refunded)
public enum JobTransition: String, CaseIterable, Sendable {
    /// A worker takes the job for one attempt (`attempt + 1`, a lease). Also taken from
    /// `processing` when the lease ran out (the worker died without anyone noticing).
    case claim
    /// The attempt produced a result.
    case complete
    /// The attempt ended with a solver error (bad input found late, unsupported, …).
    case fail
    /// The attempt overran the problem's timeout (cooperatively or killed at the hard deadline).
    case timeOut
    /// The owner cancelled a job that no worker had claimed yet.
    case cancel
    /// Abandoned after too many crashes or deliveries (the dead-letter stream records it).
    case giveUp
    /// The attempt's worker died; the job waits for another attempt.
    case requeue

    /// The states the transition may start from: the guard of its `UPDATE`.
    public var from: Set<SolutionStatus> {
        switch self {
        case .claim: return [.queued, .processing]
        case .complete, .fail, .timeOut, .requeue: return [.processing]
        case .cancel: return [.queued]
        case .giveUp: return [.queued, .processing]
        }
    }

    public var to: SolutionStatus {
        switch self {
        case .claim: return .processing
        case .complete: return .completed
        case .fail, .giveUp: return .failed
        case .timeOut: return .timeout
        case .cancel: return .cancelled
        case .requeue: return .queued
        }
    }

    /// Whether the write must present the attempt number that claimed the job (the fencing
    /// token): an outcome of an attempt that lost its lease must not land.
    public var isFenced: Bool {
        switch self {
        case .complete, .fail, .timeOut, .requeue: return true
        case .claim, .cancel, .giveUp: return false
        }
    }

    /// What happens to the job's hold once the transition landed (nil: the job lives on).
    public var charge: HoldTarget? { to.chargeResolution }

    /// `from` as the text array the guarded statements compare with.
    var fromStatuses: [String] { from.map(\.rawValue).sorted() }
}

extension SolutionStatus {
    /// How the hold of a job in this state is resolved: only a completed job is paid for.
    public var chargeResolution: HoldTarget? {
        switch self {
        case .queued, .processing: return nil
        case .completed: return .settle
        case .failed, .timeout, .cancelled: return .refund
        }
    }
}
