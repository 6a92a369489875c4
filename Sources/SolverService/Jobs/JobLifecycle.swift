import Foundation
import Logging
import MathFarmCore
import PaymentService

/// The one owner of a job's life and of its charge (ARCHITECTURE.md §3).
///
/// Every transition of `JobTransition` and every resolution of a job's hold goes through this
/// type; the API (submit, cancel), the worker (claim, complete), the supervisor (hard timeout,
/// crash recovery) and the reconciler (rescue) call it and write no state of their own. Each
/// operation takes a batch, because a commit costs far more than a solve: a batch is one
/// statement in `math_solver_db`, one transaction in `payment_service_db` and one Redis round
/// trip, whatever its size. Each step is a guarded, idempotent transition, so a crash between
/// any two steps leaves work that the next delivery, the supervisor or the reconciler finishes
/// without losing a job or charging twice:
///
/// - submit: hold (payment) → queued row (solver) → XADD. A crash after the hold leaves an
///   orphan hold (refunded by `rescueStrandedCharges`) or a queued job without an entry
///   (rung again by `ringAgain`).
/// - complete: outcome + statistics (solver) → settle or refund (payment) → XACK. A crash after
///   the outcome leaves a terminal job with a pending hold (resolved on the next delivery, by
///   the supervisor, or by `rescueStrandedCharges`).
public struct JobLifecycle: Sendable {
    /// PostgreSQL channel notified (with comma-separated job ids) when jobs reach a terminal
    /// state, in the same statement: `?wait=` long polls wake on it.
    public static let doneChannel = "mathfarm_jobs_done"

    let store: SolutionStore
    let ledger: Ledger
    let queue: JobQueue
    let logger: Logger
    /// Test-only: where the fault suite kills a worker between two steps of a batch.
    public var crashPoints = CrashPoints()

    /// Hooks the fault-injection tests set (only in processes with the diagnostic problems
    /// enabled) to die at an exact point of a batch's life.
    public struct CrashPoints: Sendable {
        /// Runs after a batch's outcomes are written, before its holds are resolved. A worker
        /// process kills itself here; an in-process test throws to stop the batch there.
        public var afterOutcomesWritten: (@Sendable () throws -> Void)?

        public init() {}
    }

    public init(store: SolutionStore, ledger: Ledger, queue: JobQueue, logger: Logger) {
        self.store = store
        self.ledger = ledger
        self.queue = queue
        self.logger = logger
    }

    // MARK: Submission

    /// A validated, priced job to queue.
    public struct Submission: Sendable, Equatable {
        public var jobID: UUID
        public var userID: UUID
        public var problemID: UUID
        public var problemCode: String
        /// The input as stored (JSON text).
        public var input: String
        public var price: Money
        public var priority: JobQueue.Priority
        /// How long the hold may stay pending before the reconciler gives the money back.
        public var holdExpiry: Duration
        /// SHA-256 of the request body under an Idempotency-Key (nil without one).
        public var requestHash: String?

        public init(
            jobID: UUID, userID: UUID, problemID: UUID, problemCode: String, input: String, price: Money,
            priority: JobQueue.Priority, holdExpiry: Duration, requestHash: String?
        ) {
            self.jobID = jobID
            self.userID = userID
            self.problemID = problemID
            self.problemCode = problemCode
            self.input = input
            self.price = price
            self.priority = priority
            self.holdExpiry = holdExpiry
            self.requestHash = requestHash
        }
    }

    /// What became of one submission of a batch.
    public enum Submitted: Sendable, Equatable {
        /// Queued now, or (`replayed`) found under its id from an earlier request with the same
        /// Idempotency-Key and body; `cost` is what the job was priced at then.
        case queued(cost: Money, replayed: Bool)
        case insufficientFunds
        /// The Idempotency-Key was used before with a different request.
        case keyReused
        /// An earlier request under this Idempotency-Key died before its job was recorded, and
        /// its hold has since been refunded: the key cannot be completed any more.
        case keyAbandoned
    }

    /// Places the holds, records the queued jobs and rings the doorbell for a batch of
    /// submissions: one payment transaction, one solver statement, one Redis round trip.
    public func submit(_ batch: [Submission], by actor: String) async throws -> [Submitted] {
        guard !batch.isEmpty else { return [] }
        let holds = try await ledger.placeHolds(batch.map { submission in
            HoldRequest(
                userID: submission.userID, amount: submission.price, reference: Self.holdReference(submission.jobID),
                expiresIn: submission.holdExpiry, description: "\(submission.problemCode) \(submission.jobID.uuidString.lowercased())"
            )
        }, changedBy: actor)
        // The first submission of each job id decides; repeats inside the batch (the same
        // Idempotency-Key twice at once) answer like a replay of it.
        var first: [UUID: Int] = [:]
        for (index, submission) in batch.enumerated() where first[submission.jobID] == nil { first[submission.jobID] = index }
        var rows: [SolutionStore.NewJob] = []
        for (index, submission) in batch.enumerated() where first[submission.jobID] == index {
            // A hold resolved already (an orphan the reconciler refunded) never gets a new job.
            guard case .placed(let hold) = holds[index], hold.status == .pending else { continue }
            rows.append(SolutionStore.NewJob(
                id: submission.jobID, userID: submission.userID, problemID: submission.problemID, input: submission.input,
                cost: submission.price, chargeID: hold.id, priority: submission.priority.rawValue, requestHash: submission.requestHash
            ))
        }
        let inserted = try await store.insertQueued(rows)
        var earlier: Set<UUID> = []
        for (index, submission) in batch.enumerated() {
            if case .placed = holds[index], !inserted.contains(submission.jobID) { earlier.insert(submission.jobID) }
        }
        let existing = try await store.submissions(Array(earlier))
        var results: [Submitted] = []
        for (index, submission) in batch.enumerated() {
            switch holds[index] {
            case .insufficientFunds:
                results.append(.insufficientFunds)
            case .referenceConflict:
                results.append(.keyReused)
            case .placed:
                if inserted.contains(submission.jobID), let firstIndex = first[submission.jobID] {
                    let original = batch[firstIndex]
                    if firstIndex == index {
                        results.append(.queued(cost: submission.price, replayed: false))
                    } else {
                        let same = original.userID == submission.userID && original.requestHash == submission.requestHash
                        results.append(same ? .queued(cost: original.price, replayed: true) : .keyReused)
                    }
                } else if let stored = existing[submission.jobID] {
                    let same = stored.userID == submission.userID && stored.requestHash == submission.requestHash
                    results.append(same ? .queued(cost: stored.cost, replayed: true) : .keyReused)
                } else {
                    results.append(.keyAbandoned)
                }
            }
        }
        let toRing = batch.filter { inserted.contains($0.jobID) }
        var rung = Set<UUID>()
        do {
            try await queue.enqueue(toRing.compactMap { rung.insert($0.jobID).inserted ? ($0.jobID, $0.priority) : nil })
        } catch {
            // PostgreSQL has the jobs; the reconciler rings the doorbell once Redis is back.
            logger.warning("enqueue failed; the reconciler will ring again", metadata: ["jobs": "\(toRing.count)", "error": "\(error)"])
        }
        return results
    }

    /// The reference of a job's hold in the ledger: derived from the job id, so a retried
    /// submission finds the hold of the first.
    public static func holdReference(_ jobID: UUID) -> String { "solve-\(jobID.uuidString.lowercased())" }

    // MARK: Worker

    /// A claimed job and the queue entry that delivered it.
    public struct Work: Sendable, Equatable {
        public var job: ClaimedJob
        public var delivery: JobQueue.Delivery
    }

    /// What a batch of deliveries brought.
    public struct Claimed: Sendable, Equatable {
        /// First attempts, claimed: solve them.
        public var work: [Work] = []
        /// Jobs that were attempted before (their worker died, maybe because of them): claim
        /// each one alone with `claimRetry`, when nothing else of the process is in flight.
        public var retries: [JobQueue.Delivery] = []
    }

    /// Claims the first attempts of a batch of deliveries with one statement. Entries that
    /// bring no work are finished here: a terminal job (its charge resolved if a crash left it
    /// pending), a job another live attempt owns, a repeat entry, an entry without a job.
    /// Retries are handed back unclaimed, so that a job that may crash its worker never shares
    /// the process with other claimed jobs.
    public func claim(_ deliveries: [JobQueue.Delivery], leaseGrace: Duration, by actor: String) async throws -> Claimed {
        var deliveryOf: [UUID: JobQueue.Delivery] = [:]
        var done: [JobQueue.Delivery] = []
        for delivery in deliveries {
            guard let id = delivery.jobID, deliveryOf[id] == nil else {
                done.append(delivery)
                continue
            }
            deliveryOf[id] = delivery
        }
        var claimed = Claimed()
        for job in try await store.claim(Array(deliveryOf.keys), leaseGrace: leaseGrace, firstAttemptsOnly: true) {
            guard let delivery = deliveryOf.removeValue(forKey: job.id) else { continue }
            claimed.work.append(Work(job: job, delivery: delivery))
        }
        let states = try await store.states(Array(deliveryOf.keys))
        var terminal: [UUID] = []
        for (id, delivery) in deliveryOf {
            switch states[id] {
            case let state? where state.status == .queued || (state.status == .processing && state.leaseExpired):
                claimed.retries.append(delivery)
            case let state? where state.status.isTerminal:
                terminal.append(id)
                done.append(delivery)
            default:
                // Owned by a live attempt elsewhere (that worker finishes it), or unknown.
                done.append(delivery)
            }
        }
        try await resolveCharges(of: terminal, by: actor)
        try await queue.ack(done)
        return claimed
    }

    /// Claims one retried job (see `claim`); past `maxAttempts` it is abandoned instead (dead
    /// letter, refund) and nil is returned, as it is when there is nothing to claim.
    public func claimRetry(_ delivery: JobQueue.Delivery, leaseGrace: Duration, maxAttempts: Int, by actor: String) async throws -> Work? {
        guard let id = delivery.jobID else {
            try await queue.ack([delivery])
            return nil
        }
        guard let job = try await store.claim([id], leaseGrace: leaseGrace, firstAttemptsOnly: false).first else {
            try await resolveCharges(of: [id], by: actor)
            try await queue.ack([delivery])
            return nil
        }
        guard job.attempt <= maxAttempts else {
            try await abandon([Attempt(jobID: id, attempt: job.attempt, delivery: delivery)], reason: "attempt past \(maxAttempts)", by: actor)
            return nil
        }
        return Work(job: job, delivery: delivery)
    }

    /// One finished attempt.
    public struct Finished: Sendable, Equatable {
        public var work: Work
        public var outcome: JobOutcome

        public init(work: Work, outcome: JobOutcome) {
            self.work = work
            self.outcome = outcome
        }
    }

    /// Writes a batch of outcomes (fenced by attempt) with the statistics, resolves their holds
    /// in one payment transaction, and acks their entries. Returns the jobs whose outcome landed
    /// (an attempt that lost its job to another changes nothing and is only acked).
    @discardableResult
    public func complete(_ finished: [Finished], by actor: String) async throws -> [UUID: SolutionStatus] {
        try await settle(try await recordOutcomes(finished), by: actor)
    }

    /// Outcomes that are written and whose holds and queue entries still wait: the first half of
    /// `complete`, so a worker can write the next batch's outcomes (what its customers poll for)
    /// while this one's charges are being resolved. Batches merge: one settlement for several.
    public struct RecordedOutcomes: Sendable {
        /// Every attempt of the batches, whether or not its outcome landed.
        public internal(set) var jobIDs: [UUID] = []
        var deliveries: [JobQueue.Delivery] = []
        var written: [UUID: (status: SolutionStatus, chargeID: UUID?)] = [:]

        public init() {}

        public var isEmpty: Bool { deliveries.isEmpty }
        public var count: Int { deliveries.count }

        public mutating func merge(_ other: RecordedOutcomes) {
            jobIDs += other.jobIDs
            deliveries += other.deliveries
            written.merge(other.written) { first, _ in first }
        }
    }

    /// `complete`'s first step: the outcomes and statistics, in one statement.
    public func recordOutcomes(_ finished: [Finished]) async throws -> RecordedOutcomes {
        var recorded = RecordedOutcomes()
        guard !finished.isEmpty else { return recorded }
        recorded.written = try await store.finish(finished.map {
            SolutionStore.AttemptOutcome(id: $0.work.job.id, attempt: $0.work.job.attempt, outcome: $0.outcome)
        })
        recorded.deliveries = finished.map(\.work.delivery)
        recorded.jobIDs = finished.map(\.work.job.id)
        try crashPoints.afterOutcomesWritten?()
        return recorded
    }

    /// `complete`'s second step: resolves the holds of the outcomes that landed (a repeat
    /// changes nothing), then acks every entry. Returns the jobs whose outcome landed.
    @discardableResult
    public func settle(_ recorded: RecordedOutcomes, by actor: String) async throws -> [UUID: SolutionStatus] {
        guard !recorded.isEmpty else { return [:] }
        try await resolve(recorded.written.map { ($0.key, $0.value.status, $0.value.chargeID) }, by: actor)
        try await queue.ack(recorded.deliveries)
        return recorded.written.mapValues(\.status)
    }

    // MARK: Supervisor

    /// An attempt as the supervisor knows it from its worker's reports.
    public struct Attempt: Sendable, Equatable {
        public var jobID: UUID
        public var attempt: Int
        public var delivery: JobQueue.Delivery

        public init(jobID: UUID, attempt: Int, delivery: JobQueue.Delivery) {
            self.jobID = jobID
            self.attempt = attempt
            self.delivery = delivery
        }
    }

    /// The hard deadline passed and the worker was killed: the attempts end `timeout` and are
    /// refunded, never retried. An attempt that had already ended keeps its outcome.
    public func timeOut(_ attempts: [Attempt], by actor: String) async throws {
        guard !attempts.isEmpty else { return }
        let written = try await store.finish(attempts.map {
            SolutionStore.AttemptOutcome(id: $0.jobID, attempt: $0.attempt, outcome: .timeout(processingTimeMs: nil))
        })
        try await resolve(written.map { ($0.key, $0.value.status, $0.value.chargeID) }, by: actor)
        try await resolveCharges(of: attempts.map(\.jobID).filter { written[$0] == nil }, by: actor)
        try await queue.ack(attempts.map(\.delivery))
    }

    /// The worker died holding these attempts: each goes back to the queue (same priority), or
    /// is abandoned with a refund on its last attempt. One that had already ended keeps its
    /// outcome and gets its charge resolved.
    public func recoverCrashed(_ attempts: [Attempt], maxAttempts: Int, by actor: String) async throws {
        guard !attempts.isEmpty else { return }
        let states = try await store.states(attempts.map(\.jobID))
        var last: [Attempt] = []
        var retry: [Attempt] = []
        for attempt in attempts {
            guard let state = states[attempt.jobID], state.status == .processing, state.attempt == attempt.attempt else { continue }
            if attempt.attempt >= maxAttempts { last.append(attempt) } else { retry.append(attempt) }
        }
        if !last.isEmpty {
            try await abandon(last, reason: "worker died on its last attempt", by: actor)
        }
        let moved = try await store.requeue(retry.map { ($0.jobID, $0.attempt) })
        try await queue.enqueue(retry.filter { moved.contains($0.jobID) }.map { attempt in
            (attempt.jobID, JobQueue.Priority(rawValue: states[attempt.jobID]?.priority ?? 0) ?? .standard)
        })
        try await resolveCharges(of: attempts.map(\.jobID).filter { states[$0]?.status.isTerminal == true }, by: actor)
        try await queue.ack(attempts.map(\.delivery))
    }

    /// Gives up on queue entries delivered too often without their job ever ending (a job
    /// whose claim keeps failing): jobs still queued, or processing past their lease, end
    /// `failed` with a refund and a dead letter; the entries are acked.
    public func abandon(_ deliveries: [JobQueue.Delivery], reason: String, by actor: String) async throws {
        try await abandon(deliveries.compactMap { delivery in
            delivery.jobID.map { Attempt(jobID: $0, attempt: 0, delivery: delivery) }
        }, reason: reason, by: actor)
        try await queue.ack(deliveries.filter { $0.jobID == nil })
    }

    // MARK: API

    /// `queued → cancelled` for the job's owner, and its hold refunded. False when the job is
    /// not the user's or no longer queued.
    public func cancel(jobID: UUID, userID: UUID, by actor: String) async throws -> Bool {
        let (cancelled, chargeID) = try await store.cancel(id: jobID, userID: userID)
        guard cancelled else { return false }
        try await resolve([(jobID, .cancelled, chargeID)], by: actor)
        return true
    }

    // MARK: Reconciler (the rescuer)

    /// What `rescueStrandedCharges` did.
    public struct ChargeRepairs: Sendable, Equatable {
        /// Holds of terminal jobs that a crash left pending, settled or refunded now.
        public var resolved = 0
        /// Holds with no job at all (the API died between hold and row), refunded.
        public var orphansRefunded = 0
        /// Holds past their expiry whose job never started: the job is abandoned, the hold refunded.
        public var expiredRefunded = 0
    }

    /// Pending holds older than `settlementGrace` (a worker may be settling them right now):
    /// resolves those of terminal jobs, refunds those without a job once older than
    /// `orphanGrace`, and ends queued jobs whose hold expired.
    public func rescueStrandedCharges(settlementGrace: Duration, orphanGrace: Duration, by actor: String) async throws -> ChargeRepairs {
        var repairs = ChargeRepairs()
        let holds = try await ledger.pendingHolds(olderThan: min(settlementGrace, orphanGrace))
        guard !holds.isEmpty else { return repairs }
        let jobs = try await store.jobs(chargeIDs: holds.map(\.id))
        var requests: [HoldResolutionRequest] = []
        var expiredQueued: [Attempt] = []
        for hold in holds {
            if let job = jobs[hold.id] {
                if let target = job.status.chargeResolution, hold.age >= settlementGrace {
                    requests.append(HoldResolutionRequest(holdID: hold.id, target: target, reason: Self.reason(job.id, job.status)))
                } else if hold.isExpired, job.status == .queued {
                    expiredQueued.append(Attempt(jobID: job.id, attempt: job.attempt, delivery: .init(stream: "", entryID: "", jobID: job.id)))
                }
            } else if hold.age >= orphanGrace {
                requests.append(HoldResolutionRequest(holdID: hold.id, target: .refund, reason: "no solution was recorded for this hold"))
            }
        }
        let resolved = try await ledger.resolveHolds(requests, changedBy: actor)
        for request in requests where resolved[request.holdID]?.firstTime == true {
            if jobs[request.holdID] == nil { repairs.orphansRefunded += 1 } else { repairs.resolved += 1 }
        }
        if !expiredQueued.isEmpty {
            let ended = try await store.giveUp(expiredQueued.map { ($0.jobID, $0.attempt) }, error: .holdExpired)
            try await resolve(ended.map { ($0.key, .failed, $0.value) }, by: actor)
            repairs.expiredRefunded = ended.count
        }
        return repairs
    }

    /// Jobs `processing` past their lease whose worker vanished without a supervisor noticing
    /// (a machine lost): re-queued on their stream, or timed out and refunded on their last attempt.
    public func rescueExpiredLeases(maxAttempts: Int, by actor: String) async throws -> (requeued: Int, timedOut: Int) {
        let expired = try await store.expiredLeases()
        guard !expired.isEmpty else { return (0, 0) }
        let last = expired.filter { $0.attempt >= maxAttempts }
        let written = try await store.finish(last.map {
            SolutionStore.AttemptOutcome(id: $0.id, attempt: $0.attempt, outcome: .timeout(processingTimeMs: nil))
        })
        try await resolve(written.map { ($0.key, $0.value.status, $0.value.chargeID) }, by: actor)
        let retry = expired.filter { $0.attempt < maxAttempts }
        let moved = try await store.requeue(retry.map { ($0.id, $0.attempt) })
        try await queue.enqueue(retry.filter { moved.contains($0.id) }.map { ($0.id, JobQueue.Priority(rawValue: $0.priority) ?? .standard) })
        return (moved.count, written.count)
    }

    /// Queued jobs older than `age` whose entry Redis no longer has (lost data, a failed XADD):
    /// rings the doorbell again, on the job's own stream. Returns how many.
    public func ringAgain(queuedOlderThan age: Duration) async throws -> Int {
        let waiting = try await store.queued(olderThan: age)
        guard !waiting.isEmpty else { return 0 }
        try await queue.ensureGroups()
        let present = try await queue.jobIDsInStreams()
        let missing = waiting.filter { !present.contains($0.id) }
        try await queue.enqueue(missing.map { ($0.id, JobQueue.Priority(rawValue: $0.priority) ?? .standard) })
        return missing.count
    }

    // MARK: Charges

    /// Resolves the holds of jobs that just reached a terminal state, in one payment transaction.
    private func resolve(_ jobs: [(id: UUID, status: SolutionStatus, chargeID: UUID?)], by actor: String) async throws {
        let requests = jobs.compactMap { job -> HoldResolutionRequest? in
            guard let charge = job.chargeID, let target = job.status.chargeResolution else { return nil }
            return HoldResolutionRequest(holdID: charge, target: target, reason: Self.reason(job.id, job.status))
        }
        guard !requests.isEmpty else { return }
        _ = try await ledger.resolveHolds(requests, changedBy: actor)
    }

    /// Resolves the holds of whichever of `ids` are terminal (a repeat changes nothing).
    private func resolveCharges(of ids: [UUID], by actor: String) async throws {
        guard !ids.isEmpty else { return }
        let states = try await store.states(ids)
        try await resolve(states.values.filter(\.status.isTerminal).map { ($0.id, $0.status, $0.chargeID) }, by: actor)
    }

    /// Abandons attempts (dead letter): the jobs end `failed`, their holds are refunded, the
    /// dead-letter stream records them, and their entries are acked.
    private func abandon(_ attempts: [Attempt], reason: String, by actor: String) async throws {
        let ended = try await store.giveUp(attempts.map { ($0.jobID, $0.attempt) }, error: .deadLetter)
        try await resolve(ended.map { ($0.key, .failed, $0.value) }, by: actor)
        for attempt in attempts where ended[attempt.jobID] != nil {
            try await queue.deadLetter(jobID: attempt.jobID, reason: reason)
            logger.error("job dead-lettered", metadata: ["job": "\(attempt.jobID.uuidString.lowercased())", "reason": "\(reason)"])
        }
        try await queue.ack(attempts.map(\.delivery).filter { !$0.entryID.isEmpty })
    }

    static func reason(_ jobID: UUID, _ status: SolutionStatus) -> String {
        "solve \(jobID.uuidString.lowercased()) \(status.rawValue)"
    }
}
