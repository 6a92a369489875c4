@testable import SolverService
import Testing

/// A worker reads a whole batch of quick jobs, but only what its threads can start soon of
/// heavy ones, and nothing more while claimed jobs wait for a thread: heavy jobs spread over hosts.
@Suite("Claim pace")
struct ClaimPaceTests {
    @Test func quickJobsAreReadInWholeBatches() {
        let pace = ClaimPace(solverThreads: 2, batchSize: 128)
        #expect(pace.readCount == 128)  // nothing seen yet
        for _ in 0..<50 { pace.finished(after: .microseconds(3)) }
        #expect(pace.readCount == 128)
    }

    @Test func heavyJobsAreReadOneThreadAtATime() {
        let pace = ClaimPace(solverThreads: 1, batchSize: 16)
        pace.finished(after: .milliseconds(250))
        #expect(pace.readCount == 1)
        let wider = ClaimPace(solverThreads: 4, batchSize: 16)
        for _ in 0..<20 { wider.finished(after: .milliseconds(40)) }
        #expect(wider.readCount == 10)  // 4 threads × 100 ms / 40 ms
        // The mean follows the work: the jobs became quick again.
        for _ in 0..<60 { wider.finished(after: .microseconds(5)) }
        #expect(wider.readCount == 16)
    }

    @Test func claimedJobsWaitingForEveryThreadStopReading() {
        let pace = ClaimPace(solverThreads: 2, batchSize: 16)
        pace.finished(after: .milliseconds(50))
        #expect(!pace.isSaturated)
        pace.claimed(3)
        #expect(pace.isSaturated)
        pace.started()
        #expect(pace.isSaturated)  // 2 still wait for 2 threads
        pace.started()
        #expect(!pace.isSaturated)
        pace.started()
        pace.started()  // never below zero
        pace.claimed(1)
        #expect(!pace.isSaturated)
    }

    /// Quick jobs are never held back: a whole batch waiting for threads starts in microseconds.
    @Test func quickJobsNeverWaitForThreads() {
        let pace = ClaimPace(solverThreads: 2, batchSize: 128)
        pace.claimed(128)
        #expect(!pace.isSaturated)  // nothing seen yet
        for _ in 0..<20 { pace.finished(after: .microseconds(4)) }
        #expect(!pace.isSaturated)
    }
}
