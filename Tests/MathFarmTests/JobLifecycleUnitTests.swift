import Foundation
import MathFarmCore
import NIOConcurrencyHelpers
import PaymentService
import SolverService
import Testing

@Suite("Job state machine")
struct JobTransitionTests {
    /// ARCHITECTURE.md §3 as a table: changing a guard or a charge rule must change this test.
    @Test func transitionsAreTheDesignedOnes() {
        let table: [JobTransition: (from: Set<SolutionStatus>, to: SolutionStatus, fenced: Bool, charge: HoldTarget?)] = [
            .claim: ([.queued, .processing], .processing, false, nil),
            .complete: ([.processing], .completed, true, .settle),
            .fail: ([.processing], .failed, true, .refund),
            .timeOut: ([.processing], .timeout, true, .refund),
            .cancel: ([.queued], .cancelled, false, .refund),
            .giveUp: ([.queued, .processing], .failed, false, .refund),
            .requeue: ([.processing], .queued, true, nil),
        ]
        #expect(Set(JobTransition.allCases) == Set(table.keys))
        for (transition, expected) in table {
            #expect(transition.from == expected.from, "\(transition)")
            #expect(transition.to == expected.to, "\(transition)")
            #expect(transition.isFenced == expected.fenced, "\(transition)")
            #expect(transition.charge == expected.charge, "\(transition)")
        }
    }

    @Test func onlyACompletedJobIsPaidFor() {
        #expect(SolutionStatus.completed.chargeResolution == .settle)
        for status in [SolutionStatus.failed, .timeout, .cancelled] { #expect(status.chargeResolution == .refund) }
        for status in [SolutionStatus.queued, .processing] { #expect(status.chargeResolution == nil) }
        // No transition leaves a terminal state.
        for transition in JobTransition.allCases { #expect(transition.from.allSatisfy { !$0.isTerminal }) }
    }
}

@Suite("Worker reports")
struct WorkerReportTests {
    @Test func reportsRoundTrip() {
        let job = UUID(), other = UUID()
        let reports: [WorkerReport] = [
            .claimed([.init(job: job, attempt: 1, stream: "mf:jobs:standard", entryID: "1733-0"),
                      .init(job: other, attempt: 2, stream: "mf:jobs:premium", entryID: "1733-1")]),
            .started(job: job, deadline: Date(timeIntervalSince1970: 1_800_000_000.123)),
            .done([job, other]),
        ]
        for report in reports { #expect(WorkerReport(line: report.line) == report) }
    }

    @Test(arguments: ["", "idle", "claimed", "claimed x 1 s e", "claimed \(UUID()) 1 s", "started \(UUID())", "done", "done nope", "busy"])
    func malformedLinesAreIgnored(_ line: String) {
        #expect(WorkerReport(line: line) == nil)
    }
}

@Suite("Batch coalescer")
struct BatchCoalescerTests {
    @Test func concurrentCallsShareBatchesAndEachGetsItsOwnAnswer() async throws {
        let sizes = NIOLockedValueBox<[Int]>([])
        let coalescer = BatchCoalescer<Int, Int>(maxBatch: 50, maxConcurrentFlushes: 1) { items in
            sizes.withLockedValue { $0.append(items.count) }
            try await Task.sleep(for: .milliseconds(20))  // a commit
            return items.map { $0 * 2 }
        }
        let answers = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for index in 0..<200 { group.addTask { (index, try await coalescer.submit(index)) } }
            return try await group.reduce(into: [Int: Int]()) { $0[$1.0] = $1.1 }
        }
        #expect(answers.count == 200 && answers.allSatisfy { $0.value == $0.key * 2 })
        let batches = sizes.withLockedValue { $0 }
        #expect(batches.reduce(0, +) == 200)
        #expect(batches.allSatisfy { $0 <= 50 })
        #expect(batches.count < 200 / 2, "200 concurrent calls made \(batches.count) batches")
    }

    @Test func aBadItemFailsAloneAndTheOthersAreWritten() async throws {
        struct Bad: Error {}
        let coalescer = BatchCoalescer<Int, Int>(maxBatch: 100, maxConcurrentFlushes: 1) { items in
            try await Task.sleep(for: .milliseconds(10))
            if items.contains(13) { throw Bad() }
            return items
        }
        let results = await withTaskGroup(of: (Int, Bool).self) { group in
            for index in 0..<40 {
                group.addTask { (index, (try? await coalescer.submit(index)) != nil) }
            }
            return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
        }
        #expect(results[13] == false)
        let others = results.filter { $0.key != 13 }
        #expect(others.count == 39 && others.values.allSatisfy { $0 })
    }
}
