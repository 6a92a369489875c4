import Foundation
import HTTPTypes
import MathFarmCore
import MathFarmHTTP
import PaymentService
import SolverService
import Testing

/// The lifecycle's paths that the worker and fault suites do not reach: long polls woken by the
/// completion notification, rescues that must keep a job's priority, concurrent repeats of one
/// Idempotency-Key.
@Suite("Job lifecycle")
struct JobLifecycleTests {
    /// Solves every job the queue holds right now, in this process (a worker without a process).
    func work(_ pipeline: Pipeline, count: Int = 100) async throws -> Int {
        let lifecycle = pipeline.services.jobLifecycle
        let deliveries = try await pipeline.services.jobQueue.read(consumer: "in-process", block: .milliseconds(200), count: count)
        let claimed = try await lifecycle.claim(deliveries, leaseGrace: .seconds(5), by: "in-process")
        let finished = claimed.work.map { JobLifecycle.Finished(work: $0, outcome: .completed(result: #"{"ok": true}"#, processingTimeMs: 1)) }
        return try await lifecycle.complete(finished, by: "in-process").count
    }

    @Test func aLongPollWakesWhenItsJobEnds() async throws {
        try await withPipeline { pipeline in
            let (_, token) = try await pipeline.customer(balance: 10_000)
            let id = try #require(try await pipeline.submit(token, input: #"{"a": 1, "b": 0, "c": -9}"#).string("id").flatMap(UUID.init(uuidString:)))
            let waiters = pipeline.services.jobWaiters
            let waited = Task {
                let start = ContinuousClock.now
                await waiters.wait(for: id, timeout: .seconds(30))
                return ContinuousClock.now - start
            }
            try await Task.sleep(for: .milliseconds(300))  // the waiter is registered
            #expect(try await work(pipeline) == 1)
            // Woken by the NOTIFY of the outcome statement, not by its 30 s timeout.
            let elapsed = await waited.value
            #expect(elapsed < .seconds(10), "the waiter slept \(elapsed)")
            let view = try await pipeline.client.send(.get, "/api/v1/solutions/\(id.uuidString.lowercased())?wait=5", token: token)
            #expect(view.string("status") == "completed")
        }
    }

    /// A batch larger than one NOTIFY payload can name (8,000 bytes: 216 ids) is written in one
    /// go and wakes every long poll: a completer that fell behind once retried such a batch
    /// until its leases ran out, because the single notification of the batch was refused.
    @Test func aBatchTooLargeForOneNotificationEndsAndWakesEveryWaiter() async throws {
        try await withPipeline { pipeline in
            let jobs = 300
            let (_, token) = try await pipeline.customer(balance: Int64(jobs) * 2_000)
            var ids: [UUID] = []
            for index in 0..<jobs {
                let submitted = try await pipeline.submit(token, input: #"{"a": 1, "b": \#(index), "c": -1}"#)
                ids.append(try #require(submitted.string("id").flatMap(UUID.init(uuidString:))))
            }
            let waiters = pipeline.services.jobWaiters
            let (first, last) = (try #require(ids.first), try #require(ids.last))
            let waited = Task {
                let start = ContinuousClock.now
                async let a: Void = waiters.wait(for: first, timeout: .seconds(30))
                async let b: Void = waiters.wait(for: last, timeout: .seconds(30))
                _ = await (a, b)
                return ContinuousClock.now - start
            }
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await work(pipeline, count: jobs) == jobs)
            let elapsed = await waited.value
            #expect(elapsed < .seconds(10), "the waiters slept \(elapsed)")
            let rows = try await pipeline.services.pools[.solver].query("SELECT count(*)::int8 FROM solutions WHERE status = 'completed'").collectRows()
            #expect(try rows.first?.decode(Int64.self) == Int64(jobs))
        }
    }

    /// A premium job whose worker vanished goes back on the premium stream (the reconciler
    /// used to put every rescued job on the standard one).
    @Test func anExpiredLeaseKeepsTheJobsPriority() async throws {
        // Without the API's own reconciler, which would otherwise rescue the lease first.
        try await withPipeline(["MATHFARM_RECONCILE_IN_API": "false"]) { pipeline in
            let (_, token) = try await pipeline.customer(balance: 10_000, premium: true)
            let id = try #require(try await pipeline.submit(token, input: #"{"a": 1, "b": 2, "c": -8}"#).string("id").flatMap(UUID.init(uuidString:)))
            let queue = pipeline.services.jobQueue
            // A worker claims it and vanishes (no supervisor saw it): its lease runs out.
            let deliveries = try await queue.read(consumer: "vanished", block: .milliseconds(200), count: 10)
            let claimed = try await pipeline.services.jobLifecycle.claim(deliveries, leaseGrace: .seconds(5), by: "vanished")
            #expect(claimed.work.map(\.job.id) == [id])
            try await queue.ack(deliveries)
            try await pipeline.services.pools[.solver].query("UPDATE solutions SET lease_expires_at = now() - interval '1 second' WHERE id = \(id)")
            let rescued = try await pipeline.services.jobLifecycle.rescueExpiredLeases(maxAttempts: 3, by: "test")
            #expect(rescued.requeued == 1)
            let next = try await queue.read(consumer: "next", block: .milliseconds(200), count: 10)
            #expect(next.map(\.jobID) == [id])
            #expect(next.first?.stream == queue.stream(.premium))
        }
    }

    /// A queued job whose entry Redis lost is rung again on its own stream.
    @Test func aLostEntryIsRungAgainOnItsOwnStream() async throws {
        try await withPipeline(["MATHFARM_RECONCILE_IN_API": "false"]) { pipeline in
            let (_, token) = try await pipeline.customer(balance: 10_000, premium: true)
            let id = try #require(try await pipeline.submit(token, input: #"{"a": 2, "b": 2, "c": -8}"#).string("id").flatMap(UUID.init(uuidString:)))
            let queue = pipeline.services.jobQueue
            try await pipeline.services.redis.command(["DEL", queue.stream(.premium)])
            try await queue.ensureGroups()
            #expect(try await pipeline.services.jobLifecycle.ringAgain(queuedOlderThan: .zero) == 1)
            #expect(try await pipeline.services.jobLifecycle.ringAgain(queuedOlderThan: .zero) == 0)  // present now
            let next = try await queue.read(consumer: "next", block: .milliseconds(200), count: 10)
            #expect(next.map(\.jobID) == [id] && next.first?.stream == queue.stream(.premium))
        }
    }

    @Test func concurrentRepeatsOfOneKeyMakeOneJobAndOneHold() async throws {
        try await withPipeline { pipeline in
            let (user, token) = try await pipeline.customer(balance: 10_000)
            let answers = try await withThrowingTaskGroup(of: JSONResponse.self) { group in
                for _ in 0..<12 {
                    group.addTask { try await pipeline.submit(token, input: #"{"a": 1, "b": 1, "c": -6}"#, key: "twice-clicked") }
                }
                return try await group.reduce(into: [JSONResponse]()) { $0.append($1) }
            }
            #expect(answers.allSatisfy { $0.status == 202 })
            #expect(Set(answers.compactMap { $0.string("id") }).count == 1)
            #expect(answers.filter { $0.headers[HTTPField.Name("Idempotent-Replayed")!] == "true" }.count == 11)
            #expect(try await pipeline.services.ledger.balance(of: user).held == Money(dong: 2_000))
            let rows = try await pipeline.services.pools[.solver].query("SELECT count(*)::int8 FROM solutions").collectRows()
            #expect(try rows.first?.decode(Int64.self) == 1)
        }
    }
}
