import Foundation
import HTTPTypes
import MathFarmCore
import MathFarmHTTP
import MathSolvers
import PaymentService
import SolverService
import Symbolic
import Testing

@Suite("Solve pipeline over HTTP", .serialized)
struct PipelineTests {
    @Test func catalogIsPublished() async throws {
        try await withPipeline { pipeline in
            let catalog = try await pipeline.client.send(.get, "/api/v1/problems")
            #expect(catalog.status == 200)
            let problems = try #require(catalog.json["problems"] as? [[String: Any]])
            let quadratic = try #require(problems.first { $0["code"] as? String == "quadratic_equation" })
            #expect(quadratic["price"] as? String == "2000.00")
            #expect(quadratic["premium_price"] as? String == "1600.00")
            #expect(quadratic["timeout_seconds"] as? Int == 10)
            #expect((quadratic["input_schema"] as? [String: Any])?["type"] as? String == "object")
            #expect(quadratic["output_schema"] != nil)
        }
    }

    @Test func happyPathSolvesSettlesAndCounts() async throws {
        try await withPipeline { pipeline in
            let pool = try await pipeline.startWorkers(1)
            defer { Task { await pool.stop() } }
            let (user, token) = try await pipeline.customer(balance: 10_000)
            let submitted = try await pipeline.submit(token, input: #"{"equation": "2x^2 - 3x + 1 = 0"}"#)
            #expect(submitted.status == 202)
            #expect(submitted.string("status") == "queued")
            #expect(submitted.string("cost") == "2000.00")
            let id = try #require(submitted.string("id"))
            #expect(submitted.string("poll") == "/api/v1/solutions/\(id.lowercased())")
            let done = try await pipeline.waitTerminal(id, token: token)
            #expect(done.string("status") == "completed")
            let result = try #require(done.json["result"] as? [String: Any])
            #expect(result["roots"] as? [String] == ["1/2", "1"])
            #expect(result["kind"] as? String == "two_real")
            #expect(done.json["processing_time_ms"] as? Int != nil)
            let balance = try await pipeline.services.ledger.balance(of: user)
            #expect(balance.available == Money(dong: 8_000))
            #expect(balance.held == .zero)
            #expect(balance.totalSpent == Money(dong: 2_000))
            let history = try await pipeline.client.send(.get, "/api/v1/solutions?status=completed", token: token)
            #expect(history.json["total"] as? Int == 1)
            let views = try await pipeline.services.pools[.solver].query("SELECT count(*)::int8 FROM solution_history").collectRows()
            #expect(try views.first?.decode(Int64.self) ?? 0 >= 1)
            #expect(try await pipeline.violations() == [])
            let metrics = String(decoding: try await pipeline.client.send(.get, "/metrics").body, as: UTF8.self)
            #expect(metrics.contains(#"mathfarm_jobs{status="completed"} 1"#))
            #expect(metrics.contains("mathfarm_queue_pending"))
            #expect(metrics.contains(#"mathfarm_solve_time_ms_bucket{problem="quadratic_equation",le="+Inf"} 1"#))
            await pool.stop()
        }
    }

    /// A lingering worker (MATHFARM_WORKER_LINGER_MS) tops up a short batch before claiming: every
    /// job submitted around the wait is still solved, settled once and counted.
    @Test func lingeringWorkersStillSettleEveryJob() async throws {
        try await withPipeline { pipeline in
            let pool = try WorkerPool(environment: pipeline.environment.merging(["MATHFARM_WORKER_LINGER_MS": "40"]) { $1 }, processes: 1)
            defer { Task { await pool.stop() } }
            try await pool.waitForWorkers(1)
            let (user, token) = try await pipeline.customer(balance: 20_000)
            var ids: [String] = []
            for c in 1...6 {
                let submitted = try await pipeline.submit(token, input: #"{"equation": "x^2 - \#(c + 1)x + \#(c) = 0"}"#)
                #expect(submitted.status == 202)
                ids.append(try #require(submitted.string("id")))
                try await Task.sleep(for: .milliseconds(15))
            }
            for id in ids {
                let done = try await pipeline.waitTerminal(id, token: token)
                #expect(done.string("status") == "completed")
            }
            let balance = try await pipeline.services.ledger.balance(of: user)
            #expect(balance.available == Money(dong: 8_000))
            #expect(balance.held == .zero)
            #expect(try await pipeline.violations() == [])
            await pool.stop()
        }
    }

    /// Every problem of the exact math engine through the farm: priced, solved by a worker,
    /// settled; a problem without an elementary antiderivative fails and is refunded.
    @Test func mathEngineProblemsRunThroughTheFarm() async throws {
        try await withPipeline { pipeline in
            let pool = try await pipeline.startWorkers(1)
            defer { Task { await pool.stop() } }
            let (user, token) = try await pipeline.customer(balance: 100_000)
            let jobs: [(String, String, String, String)] = [
                ("system_equations", #"{"equations": ["x + 2y = 5", "3x - y = 1"]}"#, "3000.00", "unique"),
                ("derivative", #"{"expression": "x^ln(x)"}"#, "2000.00", "2*ln(x)*x^(ln(x) - 1)"),
                ("indefinite_integral", #"{"expression": "x^3*e^(2x)"}"#, "5000.00", "x^3*e^(2*x)/2 - 3*x^2*e^(2*x)/4 + 3*x*e^(2*x)/4 - 3*e^(2*x)/8"),
                ("definite_integral", #"{"expression": "1/x^3", "lower": 1, "upper": "oo"}"#, "5000.00", "1/2"),
                ("limit", #"{"expression": "sin(3x)/(5x)", "point": 0}"#, "3000.00", "3/5"),
            ]
            for (problem, input, cost, expected) in jobs {
                let submitted = try await pipeline.submit(token, problem: problem, input: input)
                #expect(submitted.status == 202, "\(problem)")
                #expect(submitted.string("cost") == cost, "\(problem)")
                let id = try #require(submitted.string("id"))
                let done = try await pipeline.waitTerminal(id, token: token)
                #expect(done.string("status") == "completed", "\(problem)")
                let result = try #require(done.json["result"] as? [String: Any])
                let answer = problem == "system_equations" ? result["kind"] as? String : result["result"] as? String
                if problem == "indefinite_integral" {
                    // The printed order of terms is a presentation detail; compare as expressions.
                    #expect(answer.flatMap { try? ExpressionParser.parse($0) } == (try? ExpressionParser.parse(expected)))
                } else {
                    #expect(answer == expected, "\(problem)")
                }
            }
            let refused = try await pipeline.submit(token, problem: "indefinite_integral", input: #"{"expression": "sin(x^2)"}"#)
            let failed = try await pipeline.waitTerminal(try #require(refused.string("id")), token: token)
            #expect(failed.string("status") == "failed")
            #expect((failed.json["error"] as? [String: Any])?["code"] as? String == "no_elementary_antiderivative")
            let balance = try await pipeline.services.ledger.balance(of: user)
            #expect(balance.available == Money(dong: 100_000 - 18_000))
            #expect(balance.held == .zero)
            #expect(try await pipeline.violations() == [])
            await pool.stop()
        }
    }

    /// The registry owns the schemas: the API publishes them, the table is brought in step when
    /// the API starts, and an input the schema does not allow is refused before any charge.
    @Test func theRegistrysSchemaIsPublishedStoredAndEnforced() async throws {
        try await withPipeline { pipeline in
            let catalog = try await pipeline.client.send(.get, "/api/v1/problems")
            let problems = try #require(catalog.json["problems"] as? [[String: Any]])
            for entry in SolverRegistry.products {
                let published = try #require(problems.first { $0["code"] as? String == entry.code }?["input_schema"])
                let registered = try JSONSerialization.jsonObject(with: Data(entry.inputSchema.text.utf8))
                func canonical(_ object: Any) throws -> String {
                    String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
                }
                #expect(try canonical(published) == canonical(registered), "\(entry.code)")
                let rows = try await pipeline.services.pools[.solver].query(
                    "SELECT input_schema = \(entry.inputSchema.text)::jsonb AND output_schema = \(entry.outputSchema)::jsonb FROM math_problems WHERE problem_type::text = \(entry.code)"
                ).collectRows()
                #expect(try rows.first?.decode(Bool.self) == true, "math_problems.\(entry.code) still holds an old schema")
            }

            let (user, token) = try await pipeline.customer(balance: 10_000)
            let refused = try await pipeline.submit(token, input: #"{"a": 1, "b": 2, "c": 1, "precision": 40}"#)
            #expect(refused.status == 422)
            #expect(refused.errorCode == "unknown_field")
            #expect((refused.json["error"] as? [String: Any]).flatMap { $0["details"] as? [String: Any] }?["field"] as? String == "input.precision")
            let missing = try await pipeline.submit(token, problem: "limit", input: #"{"expression": "sin(x)/x"}"#)
            #expect(missing.status == 422 && missing.errorCode == "missing_field")
            #expect(try await pipeline.services.ledger.balance(of: user).available == Money(dong: 10_000))
            let rows = try await pipeline.services.pools[.solver].query("SELECT count(*)::int8 FROM solutions").collectRows()
            #expect(try rows.first?.decode(Int64.self) == 0)
        }
    }

    @Test func insufficientFundsQueuesNothing() async throws {
        try await withPipeline { pipeline in
            let (user, token) = try await pipeline.customer(balance: 1_000)
            let refused = try await pipeline.submit(token, input: #"{"a": 1, "b": 2, "c": 1}"#)
            #expect(refused.status == 402)
            #expect(refused.errorCode == "insufficient_balance")
            let rows = try await pipeline.services.pools[.solver].query("SELECT count(*)::int8 FROM solutions").collectRows()
            #expect(try rows.first?.decode(Int64.self) == 0)
            let depth = try await pipeline.services.jobQueue.depth()
            #expect(depth.values.allSatisfy { $0.waiting == 0 && $0.pending == 0 })
            #expect(try await pipeline.services.ledger.balance(of: user).available == Money(dong: 1_000))
        }
    }

    @Test func sameIdempotencyKeyMakesOneJobAndOneCharge() async throws {
        try await withPipeline { pipeline in
            let (user, token) = try await pipeline.customer(balance: 10_000)
            let first = try await pipeline.submit(token, input: #"{"a": 1, "b": 0, "c": -2}"#, key: "solve-1")
            let second = try await pipeline.submit(token, input: #"{"a": 1, "b": 0, "c": -2}"#, key: "solve-1")
            #expect(first.status == 202 && second.status == 202)
            #expect(first.body == second.body)
            #expect(second.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(try await pipeline.services.ledger.balance(of: user).held == Money(dong: 2_000))
            let rows = try await pipeline.services.pools[.solver].query("SELECT count(*)::int8 FROM solutions").collectRows()
            #expect(try rows.first?.decode(Int64.self) == 1)
            let other = try await pipeline.submit(token, input: #"{"a": 1, "b": 0, "c": -3}"#, key: "solve-1")
            #expect(other.status == 422 && other.errorCode == "idempotency_key_reused")
        }
    }

    @Test func parallelSubmissionsNeverOverdraw() async throws {
        try await withPipeline { pipeline in
            let (user, token) = try await pipeline.customer(balance: 100_000)  // 50 solves at 2,000
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<100 {
                    group.addTask { try await pipeline.submit(token, input: #"{"a": 1, "b": \#(index), "c": 1}"#).status }
                }
                var statuses: [Int] = []
                for try await status in group { statuses.append(status) }
                return statuses
            }
            #expect(statuses.filter { $0 == 202 }.count == 50)
            #expect(statuses.filter { $0 == 402 }.count == 50)
            let balance = try await pipeline.services.ledger.balance(of: user)
            #expect(balance.available == .zero && balance.held == Money(dong: 100_000))
            #expect(try await pipeline.violations() == [])
        }
    }

    @Test func badInputIsRefusedBeforeAnyMoneyMoves() async throws {
        try await withPipeline { pipeline in
            let (user, token) = try await pipeline.customer(balance: 10_000)
            let badField = try await pipeline.submit(token, input: #"{"a": "1/0", "b": 1, "c": 1}"#)
            #expect(badField.status == 422)
            #expect((badField.json["error"] as? [String: Any])?["details"] as? [String: String] == ["field": "input.a"])
            let badEquation = try await pipeline.submit(token, input: #"{"equation": "x^3 = 1"}"#)
            #expect(badEquation.status == 422)
            let unknown = try await pipeline.submit(token, problem: "poetry", input: "{}")
            #expect(unknown.status == 422 && unknown.errorCode == "unknown_problem")
            let huge = try await pipeline.submit(token, input: #"{"equation": "\#(String(repeating: "x+", count: 9000))x = 0"}"#)
            #expect(huge.status == 413 && huge.errorCode == "input_too_large")
            let badExpression = try await pipeline.submit(token, problem: "derivative", input: #"{"expression": "sin(x"}"#)
            #expect(badExpression.status == 422 && badExpression.errorCode == "syntax_error")
            let tooManyUnknowns = try await pipeline.submit(token, problem: "system_equations", input: #"{"matrix": [\#((0..<201).map { _ in "1" }.joined(separator: ","))], "rhs": [1]}"#)
            #expect(tooManyUnknowns.status == 422)
            #expect(try await pipeline.services.ledger.balance(of: user).available == Money(dong: 10_000))
            let badWait = try await pipeline.client.send(.get, "/api/v1/solutions/\(UUID())?wait=99", token: token)
            #expect(badWait.status == 422)
        }
    }

    @Test func onlyTheOwnerSeesAJobAndQueuedJobsCanBeCancelled() async throws {
        try await withPipeline { pipeline in
            let (owner, token) = try await pipeline.customer(balance: 10_000)
            let (_, stranger) = try await pipeline.customer(balance: 0)
            let submitted = try await pipeline.submit(token, input: #"{"a": 1, "b": 1, "c": 1}"#)
            let id = try #require(submitted.string("id"))
            #expect(try await pipeline.client.send(.get, "/api/v1/solutions/\(id)", token: stranger).status == 404)
            #expect(try await pipeline.client.send(.delete, "/api/v1/solutions/\(id)", token: stranger).status == 404)
            let cancelled = try await pipeline.client.send(.delete, "/api/v1/solutions/\(id)", token: token)
            #expect(cancelled.status == 200)
            #expect(cancelled.string("status") == "cancelled")
            #expect(try await pipeline.services.ledger.balance(of: owner).available == Money(dong: 10_000))
            let again = try await pipeline.client.send(.delete, "/api/v1/solutions/\(id)", token: token)
            #expect(again.status == 409 && again.errorCode == "not_cancellable")
            // A worker that later sees the entry leaves the cancelled job alone.
            let pool = try await pipeline.startWorkers(1)
            try await Task.sleep(for: .seconds(2))
            await pool.stop()
            let view = try await pipeline.client.send(.get, "/api/v1/solutions/\(id)?lang=vi", token: token)
            #expect(view.string("status") == "cancelled")
            #expect(view.string("error", "message")?.contains("huỷ") == true)
            #expect(try await pipeline.violations() == [])
        }
    }

    @Test func premiumJobsPayLessAndJumpTheQueue() async throws {
        try await withPipeline { pipeline in
            let (_, standardToken) = try await pipeline.customer(balance: 100_000)
            let (premiumUser, premiumToken) = try await pipeline.customer(balance: 10_000, premium: true)
            for index in 0..<5 { _ = try await pipeline.submit(standardToken, input: #"{"a": 1, "b": \#(index), "c": 0}"#) }
            let premium = try await pipeline.submit(premiumToken, input: #"{"a": 1, "b": 5, "c": 6}"#)
            #expect(premium.string("cost") == "1600.00")
            let depth = try await pipeline.services.jobQueue.depth()
            #expect(depth[pipeline.services.jobQueue.stream(.premium)]?.waiting == 1)
            let read = try await pipeline.services.jobQueue.read(consumer: "probe", block: .milliseconds(10))
            #expect(read.first?.stream == pipeline.services.jobQueue.stream(.premium))
            #expect(try await pipeline.services.ledger.balance(of: premiumUser).held == Money(dong: 1_600))
        }
    }
}

@Suite("Queue housekeeping", .serialized)
struct QueueTrimTests {
    @Test func trimmingKeepsPendingAndUndeliveredEntries() async throws {
        try await withPipeline { pipeline in
            // Streams of its own: the pipeline's reconciler trims its queue every 300 ms, and a
            // trim between the acks and the one below would leave nothing for this call to do.
            let queue = JobQueue(redis: pipeline.services.redis, prefix: "trim-\(UUID().uuidString.prefix(8).lowercased())")
            try await queue.ensureGroups()
            var ids: [UUID] = []
            for _ in 0..<6 {
                let id = UUID()
                ids.append(id)
                _ = try await queue.enqueue(jobID: id, priority: .standard)
            }
            // Deliver four: ack two, leave two pending; two stay undelivered.
            let delivered = try await queue.read(consumer: "c1", block: .milliseconds(10), count: 4)
            #expect(delivered.count == 4)
            try await queue.ack(stream: delivered[0].stream, entryID: delivered[0].entryID)
            try await queue.ack(stream: delivered[2].stream, entryID: delivered[2].entryID)
            #expect(try await queue.trimAcknowledged() == 1)  // only the first: the second pending one blocks the rest
            let left = try await pipeline.services.redis.command(["XLEN", queue.stream(.standard)])
            #expect(left.integer == 5)
            #expect(try await queue.entryExists(stream: delivered[1].stream, entryID: delivered[1].entryID))
            // The undelivered ones are still delivered afterwards.
            let rest = try await queue.read(consumer: "c2", block: .milliseconds(10), count: 10)
            #expect(rest.map(\.jobID) == [ids[4], ids[5]])
        }
    }
}
