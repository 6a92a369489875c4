import Foundation
import MathFarmCore
import MathFarmHTTP
import NIOCore
import UserService
import PaymentService
import PostgresNIO
import SolverService
import Testing

/// Crash paths: processes killed mid-job, runaway and poison jobs, Redis losing its data.
/// Every test ends with all five invariants green.
@Suite("Solve pipeline under faults", .serialized)
struct ChaosTests {
    @Test func workerKilledMidJobStillCompletesOnceAndChargesOnce() async throws {
        try await withPipeline { pipeline in
            let pool = try await pipeline.startWorkers(2)
            let (user, token) = try await pipeline.customer(balance: 10_000)
            let submitted = try await pipeline.submit(token, problem: "diagnostic_sleep", input: #"{"seconds": 1.5}"#)
            let id = try #require(submitted.string("id"))
            let jobID = try #require(UUID(uuidString: id))
            // Wait until a worker has claimed it, then kill -9 every worker that is busy.
            let started = ContinuousClock.now
            while try await pipeline.services.solutionStore.record(jobID)?.status != .processing {
                try await Task.sleep(for: .milliseconds(20))
                #expect(ContinuousClock.now - started < .seconds(10))
            }
            try await Task.sleep(for: .milliseconds(300))
            let killedAt = ContinuousClock.now
            for pid in pool.workerPIDs() { kill(pid, SIGKILL) }
            let done = try await pipeline.waitTerminal(id, token: token, timeout: .seconds(20))
            #expect(done.string("status") == "completed")
            #expect(ContinuousClock.now - killedAt < .seconds(3 + 10))  // within its timeout + 10 s
            let record = try #require(try await pipeline.services.solutionStore.record(jobID))
            #expect(record.attempt == 2)
            let balance = try await pipeline.services.ledger.balance(of: user)
            #expect(balance.totalSpent == Money(dong: 1_000) && balance.held == .zero)
            await pool.stop()
            #expect(try await pipeline.violations() == [])
        }
    }

    @Test func sigtermDrainsTheJobInHandBeforeExiting() async throws {
        try await withPipeline { pipeline in
            let pool = try await pipeline.startWorkers(1)
            let (_, token) = try await pipeline.customer(balance: 10_000)
            let submitted = try await pipeline.submit(token, problem: "diagnostic_sleep", input: #"{"seconds": 1.5}"#)
            let jobID = try #require(submitted.string("id").flatMap(UUID.init(uuidString:)))
            while try await pipeline.services.solutionStore.record(jobID)?.status != .processing {
                try await Task.sleep(for: .milliseconds(20))
            }
            kill(pool.process.processIdentifier, SIGTERM)
            try await eventually(timeout: .seconds(10)) { pool.hasExited }
            // The worker finished the job it held (one attempt, completed, charged) before exiting.
            let record = try #require(try await pipeline.services.solutionStore.record(jobID))
            #expect(record.status == .completed && record.attempt == 1)
            #expect(try await pipeline.services.chargeResolved(jobID))
            #expect(pool.workerPIDs().isEmpty)
            #expect(try await pipeline.violations() == [])
        }
    }

    @Test func runawayJobIsKilledAtItsHardDeadlineAndRefunded() async throws {
        try await withPipeline { pipeline in
            let pool = try await pipeline.startWorkers(1)
            let (user, token) = try await pipeline.customer(balance: 10_000)
            // Timeout 3 s, grace 0.5 s; the job ignores its deadline and would run 60 s.
            let submitted = try await pipeline.submit(token, problem: "diagnostic_sleep", input: #"{"seconds": 60, "cooperative": false}"#)
            let id = try #require(submitted.string("id"))
            let jobID = try #require(UUID(uuidString: id))
            var claimedAt: ContinuousClock.Instant?
            while claimedAt == nil {
                if try await pipeline.services.solutionStore.record(jobID)?.status == .processing { claimedAt = .now }
                try await Task.sleep(for: .milliseconds(20))
            }
            let done = try await pipeline.waitTerminal(id, token: token, timeout: .seconds(15))
            let endedAfter = ContinuousClock.now - (claimedAt ?? .now)
            #expect(done.string("status") == "timeout")
            #expect(done.string("error", "code") == "timeout")
            // Hard deadline = 3 s + 0.5 s; the job must end within 1 s after it.
            #expect(endedAfter < .milliseconds(3_500 + 1_000 + 300), "ended \(endedAfter) after the claim")
            #expect(try await pipeline.services.ledger.balance(of: user).available == Money(dong: 10_000))
            // Not retried: one attempt only, and the supervisor keeps a worker running.
            #expect(try await pipeline.services.solutionStore.record(jobID)?.attempt == 1)
            try await pool.waitForWorkers(1)
            let next = try await pipeline.submit(token, input: #"{"a": 1, "b": -1, "c": 0}"#)
            #expect(try await pipeline.waitTerminal(try #require(next.string("id")), token: token).string("status") == "completed")
            await pool.stop()
            #expect(try await pipeline.violations() == [])
        }
    }

    @Test func cooperativeTimeoutEndsTheJobWithoutAKill() async throws {
        try await withPipeline { pipeline in
            let pool = try await pipeline.startWorkers(1)
            let (user, token) = try await pipeline.customer(balance: 10_000)
            let submitted = try await pipeline.submit(token, problem: "diagnostic_sleep", input: #"{"seconds": 30}"#)
            let done = try await pipeline.waitTerminal(try #require(submitted.string("id")), token: token, timeout: .seconds(15))
            #expect(done.string("status") == "timeout")
            #expect(try await pipeline.services.ledger.balance(of: user).available == Money(dong: 10_000))
            await pool.stop()
            #expect(try await pipeline.violations() == [])
        }
    }

    @Test func poisonJobIsDeadLetteredAndRefundedWhileOthersFlow() async throws {
        try await withPipeline { pipeline in
            let pool = try await pipeline.startWorkers(2)
            let (user, token) = try await pipeline.customer(balance: 100_000)
            let poison = try await pipeline.submit(token, problem: "diagnostic_crash", input: "{}")
            let poisonID = try #require(poison.string("id"))
            var good: [String] = []
            for index in 0..<10 {
                good.append(try #require(try await pipeline.submit(token, input: #"{"a": 1, "b": \#(index), "c": -1}"#).string("id")))
            }
            let dead = try await pipeline.waitTerminal(poisonID, token: token, timeout: .seconds(30))
            #expect(dead.string("status") == "failed")
            #expect(dead.string("error", "code") == "dead_letter")
            #expect(try await pipeline.services.solutionStore.record(try #require(UUID(uuidString: poisonID)))?.attempt == 3)
            for id in good {
                #expect(try await pipeline.waitTerminal(id, token: token).string("status") == "completed")
            }
            let letters = try await pipeline.services.redis.command(["XLEN", pipeline.services.jobQueue.deadLetterStream])
            #expect(letters.integer == 1)
            let balance = try await pipeline.services.ledger.balance(of: user)
            #expect(balance.totalSpent == Money(dong: 20_000))  // the 10 good ones only
            #expect(balance.held == .zero)
            await pool.stop()
            #expect(try await pipeline.violations() == [])
        }
    }

    @Test(arguments: ["flushall", "restart"])
    func redisLosingItsDataLosesNoJob(_ fault: String) async throws {
        let redis = try PrivateRedis()
        try await withPipeline(["MATHFARM_REDIS_URL": redis.url]) { pipeline in
            let (user, token) = try await pipeline.customer(balance: 200_000)
            var ids: [String] = []
            for index in 0..<50 {
                let submitted = try await pipeline.submit(token, input: #"{"a": 1, "b": \#(index), "c": -2}"#)
                ids.append(try #require(submitted.string("id")))
            }
            let pool = try await pipeline.startWorkers(2)
            try await Task.sleep(for: .milliseconds(150))
            if fault == "flushall" {
                try await pipeline.services.redis.command(["FLUSHALL"])
            } else {
                try redis.restart()
            }
            for id in ids {
                let done = try await pipeline.waitTerminal(id, token: token, timeout: .seconds(40))
                #expect(done.string("status") == "completed", "job \(id) ended \(done.string("status") ?? "?")")
            }
            let balance = try await pipeline.services.ledger.balance(of: user)
            #expect(balance.totalSpent == Money(dong: 100_000))
            #expect(balance.held == .zero)
            await pool.stop()
            #expect(try await pipeline.violations() == [])
        }
    }

    /// The worker pool keeps running while PostgreSQL restarts under it. No connection pool of
    /// the test process lives across the restart: jobs are submitted before it, and checked
    /// after it with fresh pools, so what is measured is the farm (workers and reconciler).
    @Test func postgresRestartDuringARunLosesNoJobOrCharge() async throws {
        let postgres = try PrivatePostgres()
        let redis = try PrivateRedis()
        var settings = pipelineOverrides
        settings["MATHFARM_PG_URL"] = postgres.url
        settings["MATHFARM_REDIS_URL"] = redis.url
        settings["MATHFARM_REDIS_PREFIX"] = "pgrestart"
        let stack = try await TestStack.make(settings)
        let (user, jobs) = try await stack.run { services -> (UUID, [UUID]) in
            try await services.prepare()
            try await services.jobQueue.ensureGroups()
            let registered = try await services.customerAuth.register(
                .init(email: "restart@example.vn", password: "correct-horse-1", fullName: "Restart", phone: nil),
                device: DeviceContext(ip: nil, userAgent: "test")
            )
            let user = registered.user.id
            _ = try await services.ledger.credit(userID: user, amount: Money(dong: 100_000), reference: "fund-\(user)", reason: "test", changedBy: "test")
            let principal = try await services.customerAuth.authenticate(bearer: registered.tokens.accessToken)
            var jobs: [UUID] = []
            for index in 0..<30 {
                let body = index % 3 == 0
                    ? #"{"problem":"diagnostic_sleep","input":{"seconds":0.2}}"#
                    : #"{"problem":"quadratic_equation","input":{"a":1,"b":\#(index),"c":-5}}"#
                let stored = try await services.solveService.submit(principal: principal, body: ByteBuffer(string: body), idempotencyKey: nil)
                let id = try JSONDecoder().decode([String: String].self, from: stored.body)["id"].flatMap(UUID.init(uuidString:))
                jobs.append(try #require(id))
            }
            return (user, jobs)
        }
        let pool = try WorkerPool(environment: stack.environment, processes: 2)
        try await pool.waitForWorkers(2)
        try await Task.sleep(for: .milliseconds(400))
        try postgres.restart()
        let outcome = try await stack.run { services -> (spent: Money, held: Money, unfinished: Int, violations: [InvariantViolation]) in
            let deadline = ContinuousClock.now + .seconds(60)
            var unfinished = jobs.count
            while ContinuousClock.now < deadline {
                _ = try? await services.jobReconciler.repair()  // what the API would be doing
                var left = 0
                for id in jobs {
                    let record = try await services.solutionStore.record(id)
                    let resolved = try await services.chargeResolved(id)
                    if record?.status != .completed || !resolved { left += 1 }
                }
                unfinished = left
                if left == 0 { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            await pool.stop()
            try await services.outboxRelay.drain()
            let balance = try await services.ledger.balance(of: user)
            return (balance.totalSpent, balance.held, unfinished, try await services.ledgerReconciler.check() + services.jobReconciler.check())
        }
        #expect(outcome.unfinished == 0, "jobs not completed and charged after the restart")
        #expect(outcome.spent == Money(dong: 10 * 1_000 + 20 * 2_000))
        #expect(outcome.held == .zero)
        #expect(outcome.violations == [])
    }

    @Test func crashBetweenHoldAndJobRowIsRefundedByTheReconciler() async throws {
        try await withPipeline(["MATHFARM_HOLD_GRACE": "0"]) { pipeline in
            let (user, _) = try await pipeline.customer(balance: 5_000)
            // The API died right after placing the hold: no solution row exists.
            _ = try await pipeline.services.ledger.placeHold(
                userID: user, amount: Money(dong: 2_000), reference: "solve-\(UUID())", expiresIn: .seconds(600), changedBy: "api"
            )
            // The API's reconciler (every 0.3 s here) refunds it; an extra pass finds nothing left.
            try await eventually { try await pipeline.services.ledger.balance(of: user).available == Money(dong: 5_000) }
            #expect(try await pipeline.services.jobReconciler.repair()[.orphanHoldRefunded] == nil)
            #expect(try await pipeline.violations() == [])
        }
    }

    @Test func crashBetweenOutcomeAndSettlementIsFinishedByTheReconciler() async throws {
        try await withPipeline { pipeline in
            let (user, token) = try await pipeline.customer(balance: 5_000)
            let submitted = try await pipeline.submit(token, input: #"{"a": 1, "b": 0, "c": -4}"#)
            let jobID = try #require(submitted.string("id").flatMap(UUID.init(uuidString:)))
            // A worker claims, writes the outcome, and dies before settling.
            let deliveries = try await pipeline.services.jobQueue.read(consumer: "doomed", block: .seconds(1), count: 10)
            var doomed = pipeline.services.jobLifecycle
            doomed.crashPoints.afterOutcomesWritten = { throw SimulatedCrash() }
            let work = try await doomed.claim(deliveries, leaseGrace: .seconds(5), by: "doomed").work
            #expect(work.map(\.job.id) == [jobID])
            await #expect(throws: SimulatedCrash.self) {
                try await doomed.complete(work.map { .init(work: $0, outcome: .completed(result: "{}", processingTimeMs: 1)) }, by: "doomed")
            }
            #expect(try await pipeline.services.solutionStore.record(jobID)?.status == .completed)
            #expect(try await pipeline.services.ledger.balance(of: user).held == Money(dong: 2_000))
            #expect(try await pipeline.services.jobReconciler.check().contains { $0.invariant == 2 })
            // A zombie with the same attempt number cannot overwrite the outcome.
            let zombie = pipeline.services.jobLifecycle
            let landed = try await zombie.complete(work.map { .init(work: $0, outcome: .timeout(processingTimeMs: nil)) }, by: "zombie")
            #expect(landed.isEmpty)
            #expect(try await pipeline.services.solutionStore.record(jobID)?.status == .completed)
            // After the settlement grace (10 s) the API's reconciler settles it.
            try await eventually(timeout: .seconds(20)) { try await pipeline.services.ledger.balance(of: user).held == .zero }
            let balance = try await pipeline.services.ledger.balance(of: user)
            #expect(balance.totalSpent == Money(dong: 2_000) && balance.held == .zero)
            #expect(try await pipeline.violations() == [])
        }
    }

    /// kill -9 of a worker process between writing a batch's outcomes and settling its holds:
    /// the supervisor settles them from the attempts the worker had reported, exactly once.
    @Test func workerKilledBetweenABatchsOutcomesAndItsSettlementChargesEachJobOnce() async throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("mathfarm-kill-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: marker) }
        try await withPipeline(["MATHFARM_TEST_KILL_AFTER_OUTCOMES": marker]) { pipeline in
            let (user, token) = try await pipeline.customer(balance: 100_000)
            var ids: [String] = []
            for index in 0..<20 {
                ids.append(try #require(try await pipeline.submit(token, input: #"{"a": 1, "b": \#(index), "c": -3}"#).string("id")))
            }
            let pool = try await pipeline.startWorkers(1)
            for id in ids {
                let done = try await pipeline.waitTerminal(id, token: token, timeout: .seconds(30))
                #expect(done.string("status") == "completed", "job \(id) ended \(done.string("status") ?? "?")")
            }
            #expect(FileManager.default.fileExists(atPath: marker), "the worker never reached the crash point")
            // The killed batch's outcomes stand (attempt 1, settled by the supervisor); attempts
            // still solving or waiting when it died were solved again, alone.
            var attempts: [Int] = []
            for id in ids {
                attempts.append(try await pipeline.services.solutionStore.record(try #require(UUID(uuidString: id)))?.attempt ?? 0)
            }
            #expect(attempts.allSatisfy { (1...2).contains($0) }, "attempts \(attempts)")
            #expect(attempts.contains(1))
            let balance = try await pipeline.services.ledger.balance(of: user)
            #expect(balance.totalSpent == Money(dong: 20 * 2_000))
            #expect(balance.held == .zero)
            await pool.stop()
            #expect(try await pipeline.violations() == [])
        }
    }

    /// A job that crashes its worker, read in one batch with twenty good ones: the good ones
    /// complete (at most one extra attempt each, solved alone), the poison one is dead-lettered
    /// and refunded after three attempts.
    @Test func poisonJobInsideABatchDoesNotTakeTheBatchDown() async throws {
        try await withPipeline { pipeline in
            let (user, token) = try await pipeline.customer(balance: 100_000)
            var good: [String] = []
            for index in 0..<10 {
                good.append(try #require(try await pipeline.submit(token, input: #"{"a": 1, "b": \#(index), "c": -5}"#).string("id")))
            }
            let poison = try #require(try await pipeline.submit(token, problem: "diagnostic_crash", input: "{}").string("id"))
            for index in 10..<20 {
                good.append(try #require(try await pipeline.submit(token, input: #"{"a": 1, "b": \#(index), "c": -5}"#).string("id")))
            }
            // Everything is queued before the worker starts, so its first read takes all 21.
            let pool = try await pipeline.startWorkers(1)
            let dead = try await pipeline.waitTerminal(poison, token: token, timeout: .seconds(40))
            #expect(dead.string("status") == "failed")
            #expect(dead.string("error", "code") == "dead_letter")
            #expect(try await pipeline.services.solutionStore.record(try #require(UUID(uuidString: poison)))?.attempt == 3)
            for id in good {
                #expect(try await pipeline.waitTerminal(id, token: token).string("status") == "completed")
                let attempt = try await pipeline.services.solutionStore.record(try #require(UUID(uuidString: id)))?.attempt ?? 0
                #expect((1...2).contains(attempt), "a good job took \(attempt) attempts")
            }
            let letters = try await pipeline.services.redis.command(["XLEN", pipeline.services.jobQueue.deadLetterStream])
            #expect(letters.integer == 1)
            let balance = try await pipeline.services.ledger.balance(of: user)
            #expect(balance.totalSpent == Money(dong: 20 * 2_000))
            #expect(balance.held == .zero)
            await pool.stop()
            #expect(try await pipeline.violations() == [])
        }
    }
}

struct SimulatedCrash: Error {}

/// Polls `condition` until it holds or `timeout` passes (then records a failure).
func eventually(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    Issue.record("condition did not hold within \(timeout)")
}
