import ArgumentParser
import Foundation
import NIOConcurrencyHelpers

/// The farm harness: registers and funds customers, submits paid jobs over HTTP (a burst, or a
/// fixed rate), waits until every job is done and every hold resolved, and reports throughput,
/// latency percentiles, CPU per job per process tree, commits per job and the money check.
/// `farm/run.sh` starts the farms (and the Celery peer) and calls it.
@main
struct FarmBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "FarmBench", abstract: "Paid-job benchmark against a running MathFarm.")

    @Option(help: "The API's base URL.") var url = "http://127.0.0.1:18480"
    @Option(help: "Any database URL of the farm's PostgreSQL server (postgres://user@host:port/db).") var pgURL: String
    @Option(help: "Jobs to submit.") var jobs = 2000
    @Option(help: "Customers to register and fund; job i belongs to customer i mod N.") var customers = 100
    @Option(help: "Job mix, e.g. quadratic or quadratic:70,derivative:20,linear5:10.") var mix = "quadratic"
    @Option(help: "Submissions per second (open loop); without it, a burst.") var rate: Double?
    @Option(help: "HTTP connections (the burst keeps this many requests in flight).") var connections = 16
    @Option(help: "Seed of the job inputs.") var seed: UInt64 = 1
    @Option(help: "Staff account that funds the customers.") var staffUser = "admin"
    @Option var staffPassword = "admin-password-1"
    @Option(help: "pid of `mathfarm api` (its tree is the API's CPU).") var apiPid: Int32?
    @Option(help: "pid of a `mathfarm workers` supervisor (repeatable).") var workersPid: [Int32] = []
    @Option(help: "pid of the PostgreSQL postmaster.") var postgresPid: Int32?
    @Option(help: "pid of redis-server.") var redisPid: Int32?
    @Option(help: "The mathfarm binary, for `reconcile --check`.") var mathfarm: String?
    @Option(help: "Name of this run in the report.") var label = "mathfarm"
    @Option(help: "Write the JSON report here.") var out: String?
    @Option(help: "Write the SVG chart here.") var svg: String?
    @Option(help: "A file created while the measured part runs (a profiler can wait for it).") var measuringMarker: String?
    @Flag(help: "Send no Idempotency-Key (by default every submission carries one, as a careful client does).") var noIdempotencyKeys = false

    func run() async throws {
        let client = FarmClient(base: url, connections: connections)
        let probe = try PostgresProbe(url: pgURL)
        let probeTask = Task { await probe.run() }
        defer { probeTask.cancel() }
        do {
            let report = try await measure(client: client, probe: probe)
            try await client.shutdown()
            try write(report)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    private func measure(client: FarmClient, probe: PostgresProbe) async throws -> RunReport {
        let prices = try await client.prices()
        let work = try JobMix(parsing: mix).jobs(count: jobs, seed: seed)
        for job in work where prices[job.problem] == nil { throw HarnessError("the catalog has no \(job.problem)") }
        let run = String(UInt64(Date().timeIntervalSince1970 * 1000), radix: 36)

        // Customers: registered (bcrypt, a few at a time), then funded with exactly what their
        // jobs cost plus a margin, so no submission is refused for money.
        log("registering \(customers) customers")
        let registered = try await withThrowingTaskGroup(of: (Int, FarmClient.Customer).self) { group in
            var result = [FarmClient.Customer?](repeating: nil, count: customers)
            var next = 0
            func add() {
                let index = next
                group.addTask { (index, try await client.register(index: index, run: run)) }
                next += 1
            }
            while next < min(8, customers) { add() }
            while let (index, customer) = try await group.next() {
                result[index] = customer
                if next < customers { add() }
            }
            return result.compactMap { $0 }
        }
        let staff = try await client.staffToken(username: staffUser, password: staffPassword)
        var funded = [Int](repeating: 10_000, count: customers)
        for (index, job) in work.enumerated() { funded[index % customers] += prices[job.problem] ?? 0 }
        for (index, customer) in registered.enumerated() {
            try await client.fund(customer, dong: funded[index], staffToken: staff)
        }
        // Let the farm settle (relay, first connections) before measuring.
        try await Task.sleep(for: .seconds(2))

        let groups: [String: [Int32]] = [
            "api": apiPid.map { [$0] } ?? [], "workers": workersPid, "postgres": postgresPid.map { [$0] } ?? [],
            "redis": redisPid.map { [$0] } ?? [],
        ]
        if let measuringMarker { FileManager.default.createFile(atPath: measuringMarker, contents: nil) }
        defer { if let measuringMarker { try? FileManager.default.removeItem(atPath: measuringMarker) } }
        let measured = groups.merging(["load_generator": [getpid()]]) { $1 }
        let cpuBefore = ProcessCPU.sample(measured)
        let countersBefore = try await probe.counters()

        log("submitting \(jobs) jobs (\(rate.map { "\($0)/s" } ?? "burst"), \(connections) connections)")
        let submissions = try await submit(work, customers: registered, client: client)
        let accepted = submissions.filter { $0.id != nil }
        var refused: [String: Int] = [:]
        for submission in submissions where submission.id == nil { refused[submission.refusal ?? "?", default: 0] += 1 }

        // Done when every accepted job is terminal and no hold is pending any more.
        var polls = 0
        let waitLimit = ContinuousClock.now + .seconds(600)
        while true {
            let progress = try await probe.progress()
            polls += 2
            if progress.terminal >= accepted.count && progress.pendingHolds == 0 { break }
            guard ContinuousClock.now < waitLimit else { throw HarnessError("not done after 10 minutes: \(progress)") }
            try await Task.sleep(for: .milliseconds(100))
        }
        let cpuAfter = ProcessCPU.sample(measured)
        try await Task.sleep(for: .milliseconds(1500))  // PostgreSQL publishes its counters about once a second
        let countersAfter = try await probe.counters()

        let times = try await probe.jobTimes()
        var toStart: [Double] = [], toCompleted: [Double] = [], toAccepted: [Double] = []
        var completed = 0, failed = 0, retried = 0, expectedSpent = 0
        var lastCompletion = Date.distantPast
        var completions: [(at: Double, latency: Double)] = []
        let firstSend = submissions.map(\.sent).min() ?? Date()
        for submission in accepted {
            guard let id = submission.id, let job = times[id] else { continue }
            toAccepted.append(submission.answered.timeIntervalSince(submission.sent) * 1000)
            if let started = job.started { toStart.append(started.timeIntervalSince(submission.sent) * 1000) }
            if job.attempts > 1 { retried += 1 }
            if job.status == "completed", let done = job.completed {
                completed += 1
                expectedSpent += prices[job.problem] ?? 0
                let latency = done.timeIntervalSince(submission.sent) * 1000
                toCompleted.append(latency)
                completions.append((done.timeIntervalSince(firstSend), latency))
                lastCompletion = max(lastCompletion, done)
            } else {
                failed += 1
            }
        }
        let elapsed = max(lastCompletion.timeIntervalSince(firstSend), 0.001)
        let lastAnswer = accepted.map(\.answered).max() ?? firstSend

        // Money: what each customer paid must be exactly the price of its completed jobs.
        var spent = 0, held = 0
        for (index, customer) in registered.enumerated() {
            let balance = try await client.balance(customer)
            spent += funded[index] - balance.available
            held += balance.held
        }
        let reconcile = try runReconcileCheck()

        let cpu = groups.keys.reduce(into: [String: Double]()) { result, name in
            result[name] = ProcessCPU.milliseconds((cpuAfter[name] ?? 0) - (cpuBefore[name] ?? 0)) / Double(max(completed, 1))
        }
        // This harness's own CPU (the HTTP clients), shown apart: it is not the farm's.
        let ownCPU = ProcessCPU.milliseconds((cpuAfter["load_generator"] ?? 0) - (cpuBefore["load_generator"] ?? 0)) / Double(max(completed, 1))
        let report = RunReport(
            label: label,
            started: ISO8601DateFormatter().string(from: firstSend),
            configuration: [
                "jobs": String(jobs), "customers": String(customers), "mix": mix, "mode": rate.map { "rate \($0)/s" } ?? "burst",
                "connections": String(connections), "idempotency_keys": String(!noIdempotencyKeys), "seed": String(seed),
            ],
            machine: Self.machine(),
            submitted: submissions.count, accepted: accepted.count, refused: refused,
            completed: completed, failed: failed,
            submitPerSecond: Double(accepted.count) / max(lastAnswer.timeIntervalSince(firstSend), 0.001),
            completedPerSecond: Double(completed) / elapsed,
            elapsedSeconds: elapsed,
            submitToAcceptedMs: .init(toAccepted), submitToStartMs: .init(toStart), submitToCompletedMs: .init(toCompleted),
            cpuMsPerJob: cpu.merging(["total": cpu.values.reduce(0, +)]) { $1 },
            loadGeneratorCPUMsPerJob: ownCPU,
            commitsPerJob: Double(countersAfter.commits - countersBefore.commits - Int64(polls)) / Double(max(completed, 1)),
            walSyncsPerJob: Double(countersAfter.walSyncs - countersBefore.walSyncs) / Double(max(completed, 1)),
            attemptsOverOne: retried,
            money: .init(funded: funded.reduce(0, +), expectedSpent: expectedSpent, spent: spent, held: held, exact: spent == expectedSpent && held == 0),
            reconcileCheck: reconcile,
            timeline: Self.timeline(completions, elapsed: elapsed)
        )
        return report
    }

    struct Submission: Sendable {
        var id: String?
        var refusal: String?
        var sent: Date
        var answered: Date
    }

    /// Sends every job: a burst keeps `connections` requests in flight; a rate sends on a fixed
    /// schedule whatever the answers (open loop).
    private func submit(_ work: [(problem: String, input: String)], customers: [FarmClient.Customer], client: FarmClient) async throws -> [Submission] {
        let keyed = !noIdempotencyKeys
        let run = UUID().uuidString.prefix(8)
        @Sendable func send(_ index: Int) async -> Submission {
            let job = work[index]
            let customer = customers[index % customers.count]
            let sent = Date()
            let body = #"{"problem": "\#(job.problem)", "input": \#(job.input)}"#
            do {
                let response = try await client.call(
                    .POST, "/api/v1/solutions", json: body, token: customer.token,
                    headers: keyed ? [("Idempotency-Key", "bench-\(run)-\(index)")] : []
                )
                let answered = Date()
                if response.status == 202, let id = response.body["id"] as? String {
                    return Submission(id: id.lowercased(), refusal: nil, sent: sent, answered: answered)
                }
                let code = (response.body["error"] as? [String: Any])?["code"] as? String ?? "status \(response.status)"
                return Submission(id: nil, refusal: code, sent: sent, answered: answered)
            } catch {
                return Submission(id: nil, refusal: "transport: \(error)", sent: sent, answered: Date())
            }
        }
        let results = NIOLockedValueBox([Submission?](repeating: nil, count: work.count))
        if let rate {
            let start = ContinuousClock.now
            await withDiscardingTaskGroup { group in
                for index in work.indices {
                    let due = start + .milliseconds(Int64(Double(index) * 1000 / rate))
                    if due > ContinuousClock.now { try? await Task.sleep(until: due, clock: .continuous) }
                    group.addTask {
                        let submission = await send(index)
                        results.withLockedValue { $0[index] = submission }
                    }
                }
            }
        } else {
            await withTaskGroup(of: Void.self) { group in
                var next = 0
                func add() {
                    let index = next
                    group.addTask {
                        let submission = await send(index)
                        results.withLockedValue { $0[index] = submission }
                    }
                    next += 1
                }
                while next < min(connections, work.count) { add() }
                for await _ in group where next < work.count { add() }
            }
        }
        return results.withLockedValue { $0.compactMap { $0 } }
    }

    /// Completions and latency in bins of about a sixtieth of the run (at least 100 ms).
    static func timeline(_ completions: [(at: Double, latency: Double)], elapsed: Double) -> [RunReport.Point] {
        let bin = max(0.1, (elapsed / 60 * 10).rounded(.up) / 10)
        var bins: [Int: [Double]] = [:]
        for completion in completions { bins[Int(completion.at / bin), default: []].append(completion.latency) }
        let last = bins.keys.max() ?? 0
        return (0...last).map { index in
            let latencies = bins[index] ?? []
            let percentiles = RunReport.Percentiles(latencies)
            return RunReport.Point(
                t: Double(index) * bin, completedPerSecond: Double(latencies.count) / bin,
                p50Ms: percentiles.p50, p99Ms: percentiles.p99
            )
        }
    }

    /// `mathfarm reconcile --check` against the same farm: "ok", or what it printed.
    private func runReconcileCheck() throws -> String {
        guard let mathfarm else { return "not run (no --mathfarm)" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: mathfarm)
        process.arguments = ["reconcile", "--check"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return process.terminationStatus == 0 ? "ok" : "failed: " + output.suffix(2000)
    }

    private func write(_ report: RunReport) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let json = try encoder.encode(report)
        if let out { try json.write(to: URL(fileURLWithPath: out)) }
        if let svg {
            let title = "\(report.label): \(report.completed) jobs, \(Int(report.completedPerSecond)) completed/s"
            try TimelineChart.svg(report.timeline, title: title).write(toFile: svg, atomically: true, encoding: .utf8)
        }
        let cpu = report.cpuMsPerJob.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.3f", $0.value))" }.joined(separator: ", ")
        print("""
            \(report.label): \(report.accepted)/\(report.submitted) accepted, \(report.completed) completed, \(report.failed) failed\(report.refused.isEmpty ? "" : ", refused \(report.refused)")
              submit/s \(Int(report.submitPerSecond))  completed/s \(Int(report.completedPerSecond))  (\(String(format: "%.2f", report.elapsedSeconds)) s)
              submit→start ms p50 \(Int(report.submitToStartMs.p50)) p99 \(Int(report.submitToStartMs.p99))   submit→completed ms p50 \(Int(report.submitToCompletedMs.p50)) p99 \(Int(report.submitToCompletedMs.p99))
              CPU ms/job: \(cpu)  (load generator \(String(format: "%.3f", report.loadGeneratorCPUMsPerJob)), not counted)
              commits/job \(String(format: "%.2f", report.commitsPerJob))  WAL fsyncs/job \(String(format: "%.3f", report.walSyncsPerJob))  retried \(report.attemptsOverOne)
              money: spent \(report.money.spent) expected \(report.money.expectedSpent) held \(report.money.held) → \(report.money.exact ? "exact" : "MISMATCH")   reconcile --check: \(report.reconcileCheck)
            """)
    }

    static func machine() -> [String: String] {
        var machine: [String: String] = ["cores": String(ProcessInfo.processInfo.activeProcessorCount)]
        machine["memory_gib"] = String(ProcessInfo.processInfo.physicalMemory / (1 << 30))
        if let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let model = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("model name") })?.split(separator: ":").last {
            machine["cpu"] = model.trimmingCharacters(in: .whitespaces)
        }
        machine["kernel"] = (try? String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        return machine
    }

    private func log(_ message: String) {
        FileHandle.standardError.write(Data("[\(label)] \(message)\n".utf8))
    }
}
